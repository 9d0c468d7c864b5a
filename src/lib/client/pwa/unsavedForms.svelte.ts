import { SvelteSet } from 'svelte/reactivity';

/**
 * Forms with input not yet saved hold back the app update: activating a new version reloads the page,
 * which would lose what the person typed. One registry per page, like the service worker it guards.
 */
const holders = new SvelteSet<string>();

export function holdUpdates(formId: string): void {
	holders.add(formId);
}

export function releaseUpdates(formId: string): void {
	holders.delete(formId);
}

/** True while any form holds updates. Reactive. */
export function updatesHeld(): boolean {
	return holders.size > 0;
}

let nextFormId = 0;

/**
 * For a form component, called while it initialises: holds updates while `hasUnsavedInput()` is true and
 * lets go when it turns false or the form goes away.
 */
export function holdUpdatesWhile(hasUnsavedInput: () => boolean): void {
	const formId = `form-${++nextFormId}`;
	$effect(() => {
		if (!hasUnsavedInput()) return;
		holdUpdates(formId);
		return () => releaseUpdates(formId);
	});
}
