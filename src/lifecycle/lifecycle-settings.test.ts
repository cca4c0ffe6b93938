import { lifecycleChangeSchema, lifecycleSettingsSchema, readLifecycleSettings } from './lifecycle-settings';

test('a change holds only the keys it names, so the others keep their stored values', () => {
  expect(lifecycleChangeSchema.parse({ idleResolveAfterMinutes: 60 })).toEqual({ idleResolveAfterMinutes: 60 });
  expect(lifecycleChangeSchema.parse({})).toEqual({});
  const stored = { reopenWithinHours: 24, idleResolveAfterMinutes: null, closingMessage: true };
  expect(lifecycleSettingsSchema.parse({ ...readLifecycleSettings(stored), ...lifecycleChangeSchema.parse({ idleResolveAfterMinutes: 90 }) })).toEqual({
    reopenWithinHours: 24,
    idleResolveAfterMinutes: 90,
    closingMessage: true,
  });
});

test('settings read from storage take the defaults for missing keys; a bad change is refused', () => {
  expect(readLifecycleSettings({})).toEqual({ reopenWithinHours: 168, idleResolveAfterMinutes: null, closingMessage: false });
  expect(lifecycleChangeSchema.safeParse({ reopenWithinHours: -1 }).success).toBe(false);
  expect(lifecycleChangeSchema.safeParse({ idleResolveAfterMinutes: 0 }).success).toBe(false);
  expect(lifecycleChangeSchema.safeParse({ closing: true }).success).toBe(false);
});
