-- Per credit: where a payment day that is not a working day goes (next, previous, none; existing
-- credits keep moving to the next working day) and an optional penalty rate, percent a year.
alter table credit_blocks add column payment_shift text not null default 'next';
alter table credit_blocks add column penalty_rate_percent numeric(30, 9);
