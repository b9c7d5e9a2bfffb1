import { downloadOperation } from '../../shared/download';

/** The invoice (sent) as a PDF or pivot XML file, in a binary property. */
export const { description, execute } = downloadOperation('invoice');
