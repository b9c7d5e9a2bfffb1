import { getHistoryOperation } from '../../shared/history';

/** Every status the invoice went through, newest first. */
export const { description, execute } = getHistoryOperation('receivedInvoice');
