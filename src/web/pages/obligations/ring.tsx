import { formatPercent } from '../../lib/format.js';

/** A progress ring around the percent repaid. */
export function ProgressRing(props: { percent: string; label: string; size?: number }) {
  const size = props.size ?? 92;
  const stroke = 9;
  const radius = (size - stroke) / 2;
  const circumference = 2 * Math.PI * radius;
  // Only the drawing uses a float; the text shows the API's own decimal.
  const share = Math.min(100, Math.max(0, Number(props.percent))) / 100;
  return (
    <div class="obl-ring" style={{ width: `${size}px`, height: `${size}px` }}>
      <svg width={size} height={size} viewBox={`0 0 ${size} ${size}`} aria-hidden="true">
        <circle
          class="obl-ring-track"
          cx={size / 2}
          cy={size / 2}
          r={radius}
          stroke-width={stroke}
          fill="none"
        />
        {share > 0 && (
          <circle
            class="obl-ring-value"
            cx={size / 2}
            cy={size / 2}
            r={radius}
            stroke-width={stroke}
            fill="none"
            stroke-linecap="round"
            stroke-dasharray={`${circumference * share} ${circumference}`}
            transform={`rotate(-90 ${size / 2} ${size / 2})`}
          />
        )}
      </svg>
      <div class="obl-ring-text">
        <strong>{formatPercent(props.percent, 1)}</strong>
        <span>{props.label}</span>
      </div>
    </div>
  );
}
