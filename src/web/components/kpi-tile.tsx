/**
 * The font size at which `text` fills the tile's width: digits and the currency sign are about
 * 0.6 em wide (bold letters and digits up to 0.72), the narrow spaces between digit groups less.
 */
function fit(text: string): string {
  const ems = [...text].reduce((sum, ch) => sum + (/[\s\u00a0\u202f.,]/.test(ch) ? 0.3 : 0.72), 0);
  return `${(100 / Math.max(ems, 1)).toFixed(2)}cqi`;
}

export function KpiTile(props: {
  label: string;
  value: string;
  hint?: string;
  tone?: 'positive' | 'negative';
  testId?: string;
}) {
  return (
    <div class={`tile ${props.tone ?? ''}`} data-testid={props.testId}>
      <div class="tile-label">{props.label}</div>
      <div class="tile-value" style={{ '--tile-fit': fit(props.value) }}>
        {props.value}
      </div>
      {props.hint && <div class="tile-hint">{props.hint}</div>}
    </div>
  );
}
