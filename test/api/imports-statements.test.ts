import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp, type TestApp } from '../support/app.js';
import { balanceOf, categoryId, newClient, openAccount, type Client } from '../support/budget.js';
import {
  cp1251,
  TBANK_HEADER,
  tbankCsv,
  tbankLine,
  tbankMonth,
  uploadStatement,
} from '../support/statements.js';

describe('statement import', () => {
  let t: TestApp;
  let c: Client;
  let card: string;
  const upload = (body: Buffer | string, query: Record<string, string> = {}, account = card) =>
    uploadStatement(t.app, c, account, body, query);
  const allTransactions = async (accountId: string) =>
    (await c.get(`/api/budget/transactions?accountId=${accountId}&limit=200&order=asc`)).body.items as {
      id: string;
      type: string;
      date: string;
      amount: string;
      description: string;
      categoryId: string | null;
      occurredAt: string | null;
    }[];
  const batches = async () => (await c.get('/api/imports/statements')).body as { id: string }[];

  before(async () => {
    t = await buildTestApp();
    c = await newClient(t.app);
    // Novosibirsk is 4 hours ahead of Moscow: 21:30 in Moscow on the 31st is the 1st there.
    assert.equal((await c.patch('/api/users/me', { timeZone: 'Asia/Novosibirsk' })).status, 200);
    card = await openAccount(c, { name: 'Тинькофф', openingBalance: '100000.00' });
    const rule = async (body: Record<string, unknown>) =>
      assert.equal((await c.post('/api/imports/rules', body)).status, 201);
    await rule({ field: 'description', pattern: 'кофе хауз', categoryId: await categoryId(c, 'Кофе') });
    await rule({
      field: 'payee',
      pattern: 'Ромашка',
      categoryId: await categoryId(c, 'Зарплата'),
      setDescription: 'Зарплата',
    });
    await rule({ field: 'mcc', pattern: '5300', categoryId: await categoryId(c, 'Одежда и обувь') });
  });
  after(() => t.close());

  let first: string;
  it('a three-month T-Bank CSV in windows-1251 imports with the days of the user, signs, currencies and rule categories', async () => {
    const res = await upload(tbankCsv(['2026-01', '2026-02', '2026-03']), { fileName: 'operations.csv' });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.encoding, 'windows-1251');
    assert.equal(res.body.delimiter, ';');
    assert.equal(res.body.preset, 'tbank');
    // 8 operations a month, one of them FAILED.
    assert.deepEqual(res.body.counts, { new: 21, duplicate: 0, skipped: 0, transfers: 0 });
    first = res.body.id;
    assert.equal((await allTransactions(card)).length, 0, 'a preview writes no transaction');

    const rows = (await c.get(`/api/imports/statements/${first}/rows?limit=500`)).body;
    assert.equal(rows.total, 21);
    const taxiJan = (
      rows.items as {
        description: string;
        date: string;
        occurredAt: string;
        categoryId: string;
        categorySource: string;
      }[]
    ).find((r) => r.description === 'Яндекс Go' && r.date === '2026-02-01');
    assert.ok(taxiJan, 'the taxi of 31 January 21:30 Moscow time falls on 1 February in Novosibirsk');
    assert.equal(taxiJan.occurredAt, '2026-01-31T18:30:00.000Z');
    assert.equal(taxiJan.categoryId, await categoryId(c, 'Такси'));
    assert.equal(taxiJan.categorySource, 'bank');

    const commit = await c.post(`/api/imports/statements/${first}/commit`);
    assert.equal(commit.status, 200);
    assert.deepEqual(commit.body, { created: 21, transfers: 0 });
    const txs = await allTransactions(card);
    assert.equal(txs.length, 21);
    const jan = txs.filter((x) => x.date.startsWith('2026-01'));
    const byDesc = (d: string) => jan.filter((x) => x.description === d);
    assert.equal(byDesc('Кофе Хауз').length, 2, 'two identical coffees on one day are two operations');
    assert.equal(byDesc('Кофе Хауз')[0]!.categoryId, await categoryId(c, 'Кофе'));
    assert.deepEqual(
      byDesc('Зарплата').map((x) => [x.type, x.amount, x.categoryId]),
      [['income', '85000.00', await categoryId(c, 'Зарплата')]],
    );
    assert.deepEqual(
      byDesc('Steam').map((x) => [x.type, x.amount]),
      [['expense', '950.00']],
      'the rouble amount that moved the balance',
    );
    assert.equal(byDesc('ОЗОН')[0]!.categoryId, await categoryId(c, 'Одежда и обувь'), 'the MCC rule');
    assert.equal(byDesc('Перекрёсток').length, 0, 'FAILED operations never happened');
    // 3 × (85000 − 450 − 1234.56 − 500 − 950 − 300) = 3 × 81565.44
    assert.equal(await balanceOf(c, card), '344696.32');
  });

  it('a file sent over a real connection, as the page sends it, is read as a stream (not walked as JSON)', async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const address = t.app.server.address();
    assert.ok(address !== null && typeof address === 'object');
    const other = await openAccount(c, { name: 'Сокет', openingBalance: '0.00' });
    const res = await fetch(
      `http://127.0.0.1:${address.port}/api/imports/statements?${new URLSearchParams({ accountId: other, fileName: 'operations.csv' }).toString()}`,
      {
        method: 'POST',
        headers: { ...c.session.auth, 'content-type': 'application/octet-stream' },
        body: new Uint8Array(tbankCsv(['2026-01'])),
      },
    );
    assert.equal(res.status, 201, await res.clone().text());
    const body = (await res.json()) as { id: string; counts: { new: number } };
    assert.equal(body.counts.new, 7);
    assert.equal((await c.del(`/api/imports/statements/${body.id}`)).status, 204);
  });

  it('the same file again adds nothing', async () => {
    const res = await upload(tbankCsv(['2026-01', '2026-02', '2026-03']));
    assert.equal(res.status, 201);
    assert.deepEqual(res.body.counts, { new: 0, duplicate: 21, skipped: 0, transfers: 0 });
    assert.deepEqual((await c.post(`/api/imports/statements/${res.body.id}/commit`)).body, {
      created: 0,
      transfers: 0,
    });
    assert.equal((await allTransactions(card)).length, 21);
  });

  let april: string;
  it('an overlapping four-month file adds only the new month, and undo removes exactly that batch', async () => {
    const res = await upload(tbankCsv(['2026-01', '2026-02', '2026-03', '2026-04']));
    assert.equal(res.status, 201);
    assert.deepEqual(res.body.counts, { new: 7, duplicate: 21, skipped: 0, transfers: 0 });
    april = res.body.id;
    assert.equal((await c.post(`/api/imports/statements/${april}/commit`)).body.created, 7);
    const txs = await allTransactions(card);
    assert.equal(txs.length, 28);
    assert.equal(
      txs.filter((x) => x.date >= '2026-04-02').length,
      7,
      'April but its 1st (the taxi of 31 March)',
    );
    assert.equal((await c.del(`/api/imports/statements/${april}`)).status, 204);
    assert.equal((await allTransactions(card)).length, 21);
    assert.equal(await balanceOf(c, card), '344696.32');
    const month = (await c.get('/api/budget/summary/month?month=2026-04')).body;
    assert.equal(JSON.stringify(month).includes('85000'), false, 'the month sums lost April too');
    assert.equal((await c.get(`/api/imports/statements/${april}`)).status, 404);
    // Undone, the month can come in again.
    const again = await upload(tbankCsv(['2026-04']));
    assert.equal(again.body.counts.new, 7);
    assert.equal(
      (await c.del(`/api/imports/statements/${again.body.id}`)).status,
      204,
      'a preview is dropped',
    );
  });

  it('broken files name the line and column and write nothing', async () => {
    const before = { txs: (await allTransactions(card)).length, batches: (await batches()).length };
    const lines = tbankMonth('2026-05').map(tbankLine);
    lines[2] = lines[2]!.replace(/^\d\d\.05\.2026/, '32.05.2026');
    lines[5] = lines[5]!.replace('-950.0', '-95O.0');
    const cases: [
      string,
      Buffer | string,
      Record<string, string>,
      number,
      { line: number; column: string | null; code: string },
    ][] = [
      ['empty', Buffer.alloc(0), {}, 422, { line: 1, column: null, code: 'FILE_EMPTY' }],
      [
        'binary',
        Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]),
        {},
        422,
        { line: 1, column: null, code: 'FILE_BINARY' },
      ],
      [
        'wrong encoding',
        tbankCsv(['2026-05']),
        { encoding: 'utf-8' },
        422,
        { line: 1, column: null, code: 'ENCODING_INVALID' },
      ],
      [
        'missing column',
        tbankCsv(['2026-05']),
        {
          mapping: JSON.stringify({
            columns: { date: 'Дата операции', amount: 'Сумма' },
            dateFormat: 'dd.mm.yyyy',
            decimal: 'auto',
            skipStatuses: [],
          }),
        },
        422,
        { line: 1, column: 'Сумма', code: 'COLUMN_MISSING' },
      ],
      [
        'bad date',
        cp1251(`${TBANK_HEADER}\n${lines.join('\n')}\n`),
        {},
        422,
        { line: 4, column: 'Дата операции', code: 'DATE_INVALID' },
      ],
    ];
    for (const [name, body, query, status, problem] of cases) {
      const res = await upload(body, query);
      assert.equal(res.status, status, `${name}: ${JSON.stringify(res.body)}`);
      assert.deepEqual(
        {
          line: res.body.error.details.problems[0].line,
          column: res.body.error.details.problems[0].column,
          code: res.body.error.details.problems[0].code,
        },
        problem,
        name,
      );
    }
    const bad = await upload(cp1251(`${TBANK_HEADER}\n${lines.join('\n')}\n`));
    assert.deepEqual(
      (bad.body.error.details.problems as { line: number; column: string; code: string }[]).map((p) => [
        p.line,
        p.column,
        p.code,
      ]),
      [
        [4, 'Дата операции', 'DATE_INVALID'],
        [7, 'Сумма платежа', 'AMOUNT_INVALID'],
      ],
      'every bad line is listed',
    );
    const big = Buffer.alloc(20 * 1024 * 1024 + 10, 'a;b;c\n');
    const tooBig = await upload(big);
    assert.equal(tooBig.status, 413);
    assert.equal(tooBig.body.error.code, 'IMPORT_FILE_TOO_LARGE');
    const unknown = await upload('when;what\n2026-01-01;x\n');
    assert.equal(unknown.status, 422);
    assert.equal(unknown.body.error.code, 'IMPORT_MAPPING_REQUIRED');
    assert.deepEqual(unknown.body.error.details.header, ['when', 'what']);
    assert.deepEqual(
      { txs: (await allTransactions(card)).length, batches: (await batches()).length },
      before,
    );
  });

  it('a CSV of another bank with a mapping saved as a preset: UTF-8 with BOM, debit and credit columns', async () => {
    const account = await openAccount(c, { name: 'Другой банк' });
    const mapping = {
      columns: {
        date: 'Дата',
        debit: 'Расход',
        credit: 'Приход',
        description: 'Назначение',
        bankId: 'Номер',
      },
      dateFormat: 'dd.mm.yyyy',
      decimal: 'comma',
      skipStatuses: [],
    };
    const preset = await c.post('/api/imports/presets', { name: 'Мой банк', mapping });
    assert.equal(preset.status, 201);
    const file =
      '\uFEFFНомер,Дата,Расход,Приход,Назначение\r\n1,02.03.2026,"1 500,50",,"Аптека ""Ригла"""\r\n2,03.03.2026,,"20 000,00",Возврат\r\n';
    const res = await upload(file, { presetId: preset.body.id }, account);
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.encoding, 'utf-8');
    assert.equal(res.body.delimiter, ',');
    assert.equal((await c.post(`/api/imports/statements/${res.body.id}/commit`)).body.created, 2);
    const txs = await allTransactions(account);
    assert.deepEqual(
      txs.map((x) => [x.date, x.type, x.amount, x.description]),
      [
        ['2026-03-02', 'expense', '1500.50', 'Аптека "Ригла"'],
        ['2026-03-03', 'income', '20000.00', 'Возврат'],
      ],
    );
    // The bank's id decides, whatever else changed.
    const again = await upload(
      file.replace('Возврат', 'Возврат товара'),
      { presetId: preset.body.id },
      account,
    );
    assert.equal(again.body.counts.duplicate, 2);
  });

  it('OFX 1.x SGML, OFX 2.x XML and QIF', async () => {
    const account = await openAccount(c, { name: 'OFX' });
    const sgml = [
      'OFXHEADER:100',
      'DATA:OFXSGML',
      'VERSION:102',
      'SECURITY:NONE',
      'ENCODING:USASCII',
      'CHARSET:1252',
      'COMPRESSION:NONE',
      'OLDFILEUID:NONE',
      'NEWFILEUID:NONE',
      '',
      '<OFX>',
      '<BANKMSGSRSV1>',
      '<STMTTRNRS>',
      '<STMTRS>',
      '<CURDEF>RUB',
      '<BANKTRANLIST>',
      '<STMTTRN>',
      '<TRNTYPE>DEBIT',
      '<DTPOSTED>20260210120000.000[+3:MSK]',
      '<TRNAMT>-1200.00',
      '<FITID>A1',
      '<NAME>Магнит',
      '</STMTTRN>',
      '<STMTTRN>',
      '<TRNTYPE>CREDIT',
      '<DTPOSTED>20260211',
      '<TRNAMT>300.5',
      '<FITID>A2',
      '<NAME>Cashback &amp; bonus',
      '</STMTTRN>',
      '</BANKTRANLIST>',
      '</STMTRS>',
      '</STMTTRNRS>',
      '</BANKMSGSRSV1>',
      '</OFX>',
      '',
    ].join('\r\n');
    const one = await upload(sgml, {}, account);
    assert.equal(one.status, 201, JSON.stringify(one.body));
    assert.equal(one.body.format, 'ofx');
    const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<?OFX OFXHEADER="200" VERSION="220" SECURITY="NONE" OLDFILEUID="NONE" NEWFILEUID="NONE"?>\n<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>RUB</CURDEF><BANKTRANLIST>\n<STMTTRN><TRNTYPE>DEBIT</TRNTYPE><DTPOSTED>20260212</DTPOSTED><TRNAMT>-99.90</TRNAMT><FITID>A3</FITID><NAME>Metro</NAME></STMTTRN>\n<STMTTRN><TRNTYPE>DEBIT</TRNTYPE><DTPOSTED>20260213</DTPOSTED><TRNAMT>12,5</TRNAMT><FITID>A4</FITID><MEMO>bad</MEMO></STMTTRN>\n</BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>\n`;
    assert.equal(
      (await upload(xml.replace('12,5', '12..5'), {}, account)).body.error.details.problems[0].column,
      'TRNAMT',
    );
    const two = await upload(xml, {}, account);
    assert.equal(two.status, 201);
    const qif =
      "!Type:Bank\nD02/14/2026\nT-1,250.00\nPБензин АЗС\nLАвто:Топливо\n^\nD2/15'26\nT500.00\nPПеревод\nL[Сбережения]\n^\n";
    const three = await upload(qif, {}, account);
    assert.equal(three.status, 201, JSON.stringify(three.body));
    assert.equal(three.body.format, 'qif');
    for (const b of [one, two, three]) await c.post(`/api/imports/statements/${b.body.id}/commit`);
    const txs = await allTransactions(account);
    assert.deepEqual(
      txs.map((x) => [x.date, x.type, x.amount, x.description, x.categoryId]),
      [
        ['2026-02-10', 'expense', '1200.00', 'Магнит', null],
        ['2026-02-11', 'income', '300.50', 'Cashback & bonus', null],
        ['2026-02-12', 'expense', '99.90', 'Metro', null],
        ['2026-02-13', 'income', '12.50', 'bad', null],
        ['2026-02-14', 'expense', '1250.00', 'Бензин АЗС', await categoryId(c, 'Топливо')],
        ['2026-02-15', 'income', '500.00', 'Перевод', null],
      ],
    );
    assert.equal((await upload(sgml, {}, account)).body.counts.new, 0, 'FITID decides');
  });

  it('a category chosen for a payee is suggested next time; both sides of a transfer become one transfer', async () => {
    const a = await openAccount(c, { name: 'Карта А' });
    const b = await openAccount(c, { name: 'Накопительный Б', kind: 'savings' });
    const pets = await categoryId(c, 'Домашние животные');
    const first = await upload(
      cp1251(
        `${TBANK_HEADER}\n${tbankLine({ at: '2026-06-01 10:00:00', amount: '-700,00', category: 'Животные', description: 'Четыре лапы 123' })}\n${tbankLine({ at: '2026-06-02 10:00:00', amount: '-5000,00', category: 'Переводы', description: 'Перевод между счетами' })}\n`,
      ),
      {},
      a,
    );
    const row = (await c.get(`/api/imports/statements/${first.body.id}/rows`)).body.items[0];
    assert.equal(row.description, 'Четыре лапы 123');
    assert.equal(
      (await c.patch(`/api/imports/statements/${first.body.id}/rows/${row.line}`, { categoryId: pets })).body
        .categorySource,
      'user',
    );
    await c.post(`/api/imports/statements/${first.body.id}/commit`);

    const second = await upload(
      cp1251(
        `${TBANK_HEADER}\n${tbankLine({ at: '2026-06-20 10:00:00', amount: '-900,00', category: 'Животные', description: 'ЧЕТЫРЕ ЛАПЫ 987' })}\n`,
      ),
      {},
      a,
    );
    const suggested = (await c.get(`/api/imports/statements/${second.body.id}/rows`)).body.items[0];
    assert.deepEqual([suggested.categoryId, suggested.categorySource], [pets, 'learned']);

    const other = await upload(
      cp1251(
        `${TBANK_HEADER}\n${tbankLine({ at: '2026-06-04 09:00:00', amount: '5000,00', category: 'Переводы', description: 'Пополнение' })}\n`,
      ),
      {},
      b,
    );
    assert.equal(other.body.counts.transfers, 1);
    assert.deepEqual((await c.post(`/api/imports/statements/${other.body.id}/commit`)).body, {
      created: 1,
      transfers: 1,
    });
    const list = (await c.get(`/api/budget/transactions?accountId=${b}`)).body.items as {
      type: string;
      accountId: string;
      toAccountId: string;
    }[];
    assert.deepEqual(
      list.map((x) => [x.type, x.accountId, x.toAccountId]),
      [['transfer', a, b]],
    );
    assert.equal((await allTransactions(a)).length, 2, 'the expense became the transfer');
    assert.equal(await balanceOf(c, b), '5000.00');
    // Undo gives account A its own operation back.
    await c.del(`/api/imports/statements/${other.body.id}`);
    assert.deepEqual((await allTransactions(a)).map((x) => x.type).sort(), ['expense', 'expense']);
    assert.equal(await balanceOf(c, b), '0.00');
  });

  it("another user's import, account and rows are 404", async () => {
    const stranger = await newClient(t.app);
    assert.equal((await stranger.get(`/api/imports/statements/${first}`)).status, 404);
    assert.equal((await stranger.get(`/api/imports/statements/${first}/rows`)).status, 404);
    assert.equal((await stranger.post(`/api/imports/statements/${first}/commit`)).status, 404);
    assert.equal((await stranger.del(`/api/imports/statements/${first}`)).status, 404);
    assert.equal(
      (await stranger.patch(`/api/imports/statements/${first}/rows/2`, { status: 'skipped' })).status,
      404,
    );
    assert.equal((await uploadStatement(t.app, stranger, card, tbankCsv(['2026-01']))).status, 404);
    assert.equal((await allTransactions(card)).length, 21);
  });

  it('month sums of a multi-month batch are exact to the kopeck after the commit and after undo', async () => {
    const d = await newClient(t.app);
    const account = await openAccount(d, { name: 'Карта', openingBalance: '0.00' });
    const coffee = await categoryId(d, 'Кофе');
    // Entered by hand before the import: it must stay in February's sums after the undo.
    const hand = await d.post('/api/budget/transactions', {
      type: 'expense',
      date: '2026-02-14',
      accountId: account,
      categoryId: coffee,
      amount: '100.01',
      description: 'кофе',
    });
    assert.equal(hand.status, 201);
    const names = ['Супермаркеты', 'Такси', 'Разное'];
    const ids = new Map([
      ['Супермаркеты', await categoryId(d, 'Супермаркеты')],
      ['Такси', await categoryId(d, 'Такси')],
      ['Зарплата', await categoryId(d, 'Зарплата')],
    ]);
    // 2 800 rows over four months (more than one slice of the staging), kopecks in every amount.
    type Sums = { income: bigint; expense: bigint; count: number; byCategory: Map<string | null, bigint> };
    const expected = new Map<string, Sums>();
    const lines: string[] = [];
    for (let i = 0; i < 2800; i++) {
      const month = `2026-0${1 + Math.floor(i / 700)}`;
      const day = String(1 + (i % 28)).padStart(2, '0');
      const kopecks = BigInt(1 + ((i * 7919) % 9_999_999));
      const income = i % 10 === 0;
      const bank = income ? 'Зарплата' : names[i % 3]!;
      const text = `${kopecks / 100n},${String(kopecks % 100n).padStart(2, '0')}`;
      lines.push(
        tbankLine({
          at: `${month}-${day} 12:00:00`,
          amount: income ? text : `-${text}`,
          category: bank,
          description: `Операция ${i}`,
        }),
      );
      const sums = expected.get(month) ?? { income: 0n, expense: 0n, count: 0, byCategory: new Map() };
      expected.set(month, sums);
      sums.count++;
      if (income) sums.income += kopecks;
      else {
        sums.expense += kopecks;
        const category = ids.get(bank) ?? null;
        sums.byCategory.set(category, (sums.byCategory.get(category) ?? 0n) + kopecks);
      }
    }
    const money = (k: bigint) => `${k / 100n}.${String(k % 100n).padStart(2, '0')}`;
    const uploaded = await uploadStatement(
      t.app,
      d,
      account,
      cp1251(`${TBANK_HEADER}\n${lines.join('\n')}\n`),
    );
    assert.equal(uploaded.status, 201);
    assert.equal(uploaded.body.counts.new, 2800);
    const id = uploaded.body.id as string;
    assert.deepEqual((await d.post(`/api/imports/statements/${id}/commit`)).body, {
      created: 2800,
      transfers: 0,
    });

    const monthOf = async (month: string) => {
      const summary = (await d.get(`/api/budget/summary/month?month=${month}`)).body;
      const charts = (await d.get(`/api/budget/summary/charts?month=${month}`)).body;
      const totals = summary.totals[0] ?? { income: '0.00', expense: '0.00', transactionCount: 0 };
      return {
        income: totals.income as string,
        expense: totals.expense as string,
        count: totals.transactionCount as number,
        byCategory: Object.fromEntries(
          (charts.byCategory.expense as { categoryId: string | null; amount: string }[]).map((x) => [
            String(x.categoryId),
            x.amount,
          ]),
        ),
      };
    };
    for (const [month, sums] of expected) {
      const handKopecks = month === '2026-02' ? 10001n : 0n;
      const byCategory = Object.fromEntries(
        [...sums.byCategory].map(([category, k]) => [String(category), money(k)]),
      );
      if (handKopecks > 0n) byCategory[coffee] = money(handKopecks);
      assert.deepEqual(
        await monthOf(month),
        {
          income: money(sums.income),
          expense: money(sums.expense + handKopecks),
          count: sums.count + (handKopecks > 0n ? 1 : 0),
          byCategory,
        },
        month,
      );
    }
    const total = [...expected.values()].reduce((a, x) => a + x.income - x.expense, 0n) - 10001n;
    assert.equal(
      await balanceOf(d, account),
      money(total < 0n ? -total : total).replace(/^/, total < 0n ? '-' : ''),
    );

    assert.equal((await d.del(`/api/imports/statements/${id}`)).status, 204);
    assert.deepEqual(await monthOf('2026-02'), {
      income: '0.00',
      expense: '100.01',
      count: 1,
      byCategory: { [coffee]: '100.01' },
    });
    for (const month of ['2026-01', '2026-03', '2026-04'])
      assert.deepEqual(
        await monthOf(month),
        { income: '0.00', expense: '0.00', count: 0, byCategory: {} },
        month,
      );
    assert.equal(await balanceOf(d, account), '-100.01');
  });
});
