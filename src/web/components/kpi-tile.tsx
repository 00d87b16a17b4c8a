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
      <div class="tile-value">{props.value}</div>
      {props.hint && <div class="tile-hint">{props.hint}</div>}
    </div>
  );
}
