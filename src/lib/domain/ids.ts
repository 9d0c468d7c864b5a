import { z } from 'zod';

/** Every record id is a UUID (v7 when made on a device). */
export const recordId = z.uuid();
export const isoTime = z.iso.datetime({ offset: true });
export const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'month must be YYYY-MM');
export const i18nText = z.object({ zh: z.string().min(1).max(200), en: z.string().min(1).max(200) });
export type I18nText = z.infer<typeof i18nText>;
