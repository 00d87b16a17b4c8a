/** What the budget needs to know about a user; provided by the users service. */
export type Profile = (userId: string) => Promise<{ timeZone: string; baseCurrency: string }>;
