import { getInvoiceOperation } from '../../shared/invoices';
import { SERVICES } from '../../transport/services';

/** One invoice sent by your structures, with its summary. */
export const { description, execute } = getInvoiceOperation('invoice', SERVICES.getSupplierInvoice);
