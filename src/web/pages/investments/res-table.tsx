import type { ComponentChildren } from 'preact';

/** A results table under an optional heading: its column heads (`num` aligns a figure, `res-wide` hides on a phone) and rows. */
export function ResTable(props: {
  title?: string;
  columns: [string, string?][];
  testId?: string;
  children: ComponentChildren;
}) {
  const table = (
    <div class="table-wrap">
      <table class="table res-table" data-testid={props.testId}>
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
