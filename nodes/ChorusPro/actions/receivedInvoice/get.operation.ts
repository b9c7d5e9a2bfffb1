import { getInvoiceOperation } from '../../shared/invoices';
import { SERVICES } from '../../transport/services';

/** One invoice received by your structures, with its summary. */
export const { description, execute } = getInvoiceOperation(
	'receivedInvoice',
	SERVICES.getRecipientInvoice,
);
