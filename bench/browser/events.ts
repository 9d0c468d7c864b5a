// A small stand-in for Node's `events` module, which pouchdb-browser imports and the page bundle lacks.
// PouchDB copies the enumerable methods of `EventEmitter.prototype` onto its constructor, and its
// subclasses redefine `addListener`/`removeListener` for other purposes, so `on`/`once`/`emit` must not
// call those two through `this` (Node's do not either).

type Listener = ((...args: unknown[]) => void) & { listener?: Listener };
type Handlers = Map<string | symbol, Listener[]>;

const registry = new WeakMap<object, Handlers>();

function handlersOf(emitter: object): Handlers {
	let handlers = registry.get(emitter);
	if (!handlers) registry.set(emitter, (handlers = new Map()));
	return handlers;
}

export default class EventEmitter {
	private get handlers(): Handlers {
		return handlersOf(this);
	}

	on(type: string | symbol, listener: Listener): this {
		this.handlers.set(type, [...(this.handlers.get(type) ?? []), listener]);
		return this;
	}

	once(type: string | symbol, listener: Listener): this {
		const wrapped: Listener = (...args) => {
			EventEmitter.prototype.removeListener.call(this, type, wrapped);
			listener.apply(this, args);
		};
		wrapped.listener = listener;
		return EventEmitter.prototype.on.call(this, type, wrapped) as this;
	}

	removeListener(type: string | symbol, listener: Listener): this {
		const list = this.handlers.get(type) ?? [];
		const index = list.findIndex((l) => l === listener || l.listener === listener);
		if (index >= 0) this.handlers.set(type, list.toSpliced(index, 1));
		return this;
	}

	removeAllListeners(type?: string | symbol): this {
		if (type === undefined) this.handlers.clear();
		else this.handlers.delete(type);
		return this;
	}

	emit(type: string | symbol, ...args: unknown[]): boolean {
		const list = this.handlers.get(type) ?? [];
		if (type === 'error' && list.length === 0)
			throw args[0] instanceof Error ? args[0] : new Error(String(args[0]));
		for (const listener of list) listener.apply(this, args);
		return list.length > 0;
	}

	listeners(type: string | symbol): Listener[] {
		return (this.handlers.get(type) ?? []).map((l) => l.listener ?? l);
	}

	listenerCount(type: string | symbol): number {
		return this.handlers.get(type)?.length ?? 0;
	}

	setMaxListeners(): this {
		return this;
	}

	static listenerCount(emitter: EventEmitter, type: string | symbol): number {
		return emitter.listenerCount(type);
	}
}

const proto = EventEmitter.prototype as unknown as Record<string, unknown>;
Object.assign(proto, { addListener: proto.on, off: proto.removeListener });
for (const key of Object.getOwnPropertyNames(proto)) {
	if (key !== 'constructor' && key !== 'handlers') Object.defineProperty(proto, key, { enumerable: true });
}
