import type { ComponentChildren } from 'preact';

/**
 * A results table under an optional heading: its column heads (`num` aligns a figure, `res-wide`
 * hides on a phone) and rows; `cards` makes each row a block of labelled figures on a phone (the
 * cells then carry their data-label).
 */
export function ResTable(props: {
  title?: string;
  columns: [string, string?][];
  testId?: string;
  cards?: boolean;
  children: ComponentChildren;
}) {
  const table = (
    <div class="table-wrap">
      <table class={`table res-table${props.cards ? ' table-cards' : ''}`} data-testid={props.testId}>
        <thead>
          <tr>
            {props.columns.map(([label, cls]) => (
              <th key={label} class={cls}>
                {label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{props.children}</tbody>
      </table>
    </div>
  );
  if (props.title === undefined) return table;
  return (
    <>
      <h3>{props.title}</h3>
      {table}
    </>
  );
}
