import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CategoryRow } from '../../src/server/modules/budget/categories.queries.js';
import { treeOrder } from '../../src/server/modules/budget/categories.service.js';
import { slices } from '../../src/server/modules/budget/summary.service.js';

const row = (id: string, name: string, parentId: string | null, sortOrder: number, kind = 'expense') =>
  ({ id, name, parentId, sortOrder, kind, color: `#${id.padStart(6, '0')}` }) as CategoryRow;

describe('budget report helpers', () => {
  const categories = [
    row('1', 'Продукты', null, 0),
    row('11', 'Супермаркеты', '1', 0),
    row('12', 'Рынок', '1', 1),
    row('2', 'Транспорт', null, 1),
    row('21', 'Такси', '2', 0),
    row('3', 'Работа', null, 0, 'income'),
  ];
  const byId = new Map(categories.map((c) => [c.id, c]));

  it('rolls categories up to their groups exactly, largest first, with the uncategorised apart', () => {
    const result = slices(
      [
        { categoryId: '11', amount: '0.10' },
        { categoryId: '12', amount: '0.20' },
        { categoryId: '1', amount: '999999999999.99' },
        { categoryId: '21', amount: '1000000000000.00' },
        { categoryId: null, amount: '5.00' },
      ],
      byId,
    );
    assert.deepEqual(
      result.byGroup.map((s) => [s.name, s.amount]),
      [
        ['Продукты', '1000000000000.29'],
        ['Транспорт', '1000000000000.00'],
        ['Без категории', '5.00'],
      ],
    );
    assert.deepEqual(
      result.byCategory.map((s) => s.name),
      ['Такси', 'Продукты', 'Без категории', 'Рынок', 'Супермаркеты'],
    );
    assert.equal(result.byGroup[0]?.categoryId, '1');
    assert.equal(result.byGroup[2]?.categoryId, null);
  });

  it('lists expense groups then income groups, each followed by its categories in their order', () => {
    const shuffled = [
      categories[5],
      categories[4],
      categories[2],
      categories[3],
      categories[1],
      categories[0],
    ] as CategoryRow[];
    assert.deepEqual(
      treeOrder(shuffled).map((c) => c.name),
      ['Продукты', 'Супермаркеты', 'Рынок', 'Транспорт', 'Такси', 'Работа'],
    );
    // A category whose group is filtered out still shows, as if it were a group.
    assert.deepEqual(
      treeOrder([categories[1], categories[4]] as CategoryRow[]).map((c) => c.name),
      ['Супермаркеты', 'Такси'],
    );
  });
});
