/** Time and timers, injected so the runner can be driven step by step in tests. */
export interface Clock {
	now(): number;
	setTimeout(callback: () => void, ms: number): unknown;
	clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
	now: () => Date.now(),
	setTimeout: (callback, ms) => setTimeout(callback, ms),
	clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>)
};

/** Where the page says it came back online or into view; absent in Node and in workers. */
export interface PageSignals {
	/** Fires `online` and `offline` (the window). */
	connectivity: EventTarget | null;
	/** Fires `visibilitychange` (the document). */
	visibility: EventTarget | null;
	isOnline(): boolean;
	isVisible(): boolean;
}

/** The page's own signals, read lazily so importing the runner touches no browser global. */
export function pageSignals(): PageSignals {
	return {
		connectivity: typeof window === 'undefined' ? null : window,
		visibility: typeof document === 'undefined' ? null : document,
		isOnline: () => typeof navigator === 'undefined' || navigator.onLine !== false,
		isVisible: () => typeof document === 'undefined' || document.visibilityState === 'visible'
	};
}
