import { downloadOperation } from '../../shared/download';

/** The invoice (received) as a PDF or pivot XML file, in a binary property. */
export const { description, execute } = downloadOperation('receivedInvoice');
