/** Set by test/support/sandbox-environment.mjs: the sandbox of the current test file. */
declare const chorusSandbox: {
	url: string;
	tokenUrl: string;
	apiBaseUrl: string;
	adminUrl: string;
	credentials: {
		clientId: string;
		clientSecret: string;
		technicalLogin: string;
		technicalPassword: string;
	};
	recipientCredentials: {
		clientId: string;
		clientSecret: string;
		technicalLogin: string;
		technicalPassword: string;
	};
};

/** Options of the invoice document generators (sandbox/fixtures.mjs). */
interface FixtureInvoice {
	number?: string;
	date?: string;
	supplierSiret?: string;
	recipientSiret?: string;
	serviceCode?: string;
	ej?: string;
	amountHT?: number;
	vatRate?: number;
	amountVAT?: number;
	amountTTC?: number;
	currency?: string;
	creditNote?: boolean;
	precedingInvoice?: string;
}

/** Set by test/support/sandbox-environment.mjs: generators of invoice documents. */
declare const chorusFixtures: {
	makeUblXml(options?: FixtureInvoice): string;
	makeCiiXml(options?: FixtureInvoice): string;
	makeFacturXPdf(options?: FixtureInvoice): Buffer;
	makeInvoicePdf(options?: FixtureInvoice): Buffer;
	makePdf(text?: string): Buffer;
	/** `pdf` grown to exactly `bytes` bytes with comment lines, still a readable PDF. */
	padPdf(pdf: Buffer, bytes: number): Buffer;
	makeZip(
		files: Array<{ name: string; data: string | Buffer }>,
		options?: { method?: 'deflate' | 'store' },
	): Buffer;
	makeTarGz(files: Array<{ name: string; data: string | Buffer }>): Buffer;
};

/** Set by test/support/sandbox-environment.mjs: files made by other projects (test/fixtures/real-world/). */
declare const realWorldFixtures: {
	/** File names of a folder, sorted. */
	list(folder: string): string[];
	/** A file, by its path under test/fixtures/real-world/. */
	read(file: string): Buffer;
};

/** Set by test/support/sandbox-environment.mjs: the text of a file of the repository. */
declare function repositoryText(file: string): string;
