import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CbrError, createCbrClient, parseDaily } from '../../src/server/modules/fx/cbr.js';
import { encodeWindows1251, startFakeCbr, type FakeCbr } from '../fakes/cbr-server.js';

describe('Bank of Russia client against the fake server', () => {
  let fake: FakeCbr;
  let client: ReturnType<typeof createCbrClient>;
  before(async () => {
    fake = await startFakeCbr();
    client = createCbrClient({ baseUrl: fake.url, timeoutMs: 300 });
  });
  after(async () => fake.close());

  it('reads a day: windows-1251, comma decimals, nominals, the Date the rates apply from', async () => {
    fake.fault = null;
    // Sunday 8 March 2026: the answer carries Saturday's rates and says so.
    const daily = await client.daily('2026-03-08');
    assert.equal(daily.day, '2026-03-07');
    const amd = daily.rates.find((r) => r.currency === 'AMD');
    assert.deepEqual(amd, {
      cbrId: 'R01060',
      currency: 'AMD',
      day: '2026-03-07',
      value: fake.valueOn('AMD', '2026-03-07'),
      nominal: 100,
    });
    assert.equal(daily.rates.find((r) => r.currency === 'VND')?.nominal, 10000);
    assert.ok(fake.calls.at(-1)?.endsWith('XML_daily.asp?date_req=08/03/2026'));
  });

  it('reads a range of one currency: only the days a rate was set', async () => {
    const rates = await client.dynamic('R01235', 'USD', '2026-03-06', '2026-03-10');
    assert.deepEqual(
      rates.map((r) => r.day),
      ['2026-03-06', '2026-03-07', '2026-03-10'],
    );
    assert.equal(rates[1]!.value, fake.valueOn('USD', '2026-03-07'));
    assert.ok(fake.calls.at(-1)?.includes('date_req1=06/03/2026&date_req2=10/03/2026&VAL_NM_RQ=R01235'));
  });

  it('decodes Cyrillic names from windows-1251 bytes', () => {
    const body = encodeWindows1251(
      '<?xml version="1.0" encoding="windows-1251"?><ValCurs Date="07.03.2026" name="Foreign Currency Market"><Valute ID="R01820"><NumCode>392</NumCode><CharCode>JPY</CharCode><Nominal>100</Nominal><Name>Японских иен</Name><Value>54,3000</Value></Valute></ValCurs>',
    );
    const parsed = parseDaily(new Uint8Array(body).buffer);
    assert.deepEqual(parsed.rates[0], {
      cbrId: 'R01820',
      currency: 'JPY',
      day: '2026-03-07',
      value: '54.3000',
      nominal: 100,
    });
  });

  for (const fault of ['500', 'garbage', 'timeout'] as const) {
    it(`a ${fault} answer is an error, never a rate`, async () => {
      fake.fault = fault;
      try {
        await assert.rejects(client.dynamic('R01235', 'USD', '2026-03-06', '2026-03-10'), CbrError);
      } finally {
        fake.fault = null;
      }
    });
  }

  it('an empty answer is no rates', async () => {
    fake.fault = 'empty';
    try {
      assert.deepEqual(await client.dynamic('R01235', 'USD', '2026-03-06', '2026-03-10'), []);
      assert.deepEqual((await client.daily('2026-03-08')).rates, []);
    } finally {
      fake.fault = null;
    }
  });
});
