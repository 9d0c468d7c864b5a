/** Chromium's install offer; not in TypeScript's DOM library (a non-standard event). */
interface BeforeInstallPromptEvent extends Event {
	prompt(): Promise<void>;
	readonly userChoice: Promise<{ outcome: 'accepted' | 'dismissed' }>;
}

/**
 * Installing the app: Chromium offers it with `beforeinstallprompt`, which we keep for an install button;
 * iOS Safari has no such event, so the person is told how to add the app to the home screen there.
 */
class InstallPrompt {
	#offer = $state<BeforeInstallPromptEvent | null>(null);
	#iosHint = $state(false);
	#started = false;

	/** The browser offered installation and it has not been used yet. */
	get canInstall(): boolean {
		return this.#offer !== null;
	}

	/** iOS Safari, not opened from the home screen: installation is by hand, through the Share menu. */
	get iosHint(): boolean {
		return this.#iosHint;
	}

	/** Listens for the offer; early (the root layout), since the browser sends it once, soon after load. */
	start(): void {
		if (this.#started) return;
		this.#started = true;
		this.#iosHint = isIosSafari(navigator) && !isStandalone();
		addEventListener('beforeinstallprompt', (event) => {
			// Our button replaces the browser's own banner.
			event.preventDefault();
			this.#offer = event as BeforeInstallPromptEvent;
		});
		addEventListener('appinstalled', () => (this.#offer = null));
	}

	/** Shows the browser's install dialog; an offer can be used once. */
	async install(): Promise<void> {
		const offer = this.#offer;
		if (!offer) return;
		this.#offer = null;
		await offer.prompt();
		const { outcome } = await offer.userChoice;
		// Dismissed: Chromium may offer again later, with a new event.
		if (outcome === 'accepted') this.#iosHint = false;
	}
}

function isIosSafari({ userAgent, platform, maxTouchPoints }: Navigator): boolean {
	// iPadOS presents itself as a Mac, but a Mac has no touch screen.
	const ios = /iP(hone|ad|od)/.test(userAgent) || (platform === 'MacIntel' && maxTouchPoints > 1);
	// Other iOS browsers are WebKit too but cannot add to the home screen the same way.
	return ios && /Safari/.test(userAgent) && !/CriOS|FxiOS|EdgiOS|OPiOS/.test(userAgent);
}

function isStandalone(): boolean {
	return (
		matchMedia('(display-mode: standalone)').matches ||
		(navigator as Navigator & { standalone?: boolean }).standalone === true
	);
}

export const installPrompt = new InstallPrompt();
