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
