import { AppError } from '../../platform/errors.js';

// Another user's id and a missing id give the same body; in a request body the field is named.
function notFound(code: string, what: string, field?: string): AppError {
  return field === undefined
    ? new AppError(404, code, `${what} not found`)
    : new AppError(404, code, `${field}: ${what.toLowerCase()} not found`, { field });
}

export const accountNotFound = (field?: string) => notFound('ACCOUNT_NOT_FOUND', 'Account', field);
export const categoryNotFound = (field?: string) => notFound('CATEGORY_NOT_FOUND', 'Category', field);
export const transactionNotFound = () => notFound('TRANSACTION_NOT_FOUND', 'Transaction');
