/**
 * Property patches that can be undone exactly: each remembers the property's own descriptor (or
 * that there was none, e.g. a method inherited from a prototype) and puts it back on `restore`.
 */
export class Patches {
  private readonly saved: { target: object; key: PropertyKey; descriptor: PropertyDescriptor | undefined }[] = [];

  /** Sets `target[key] = value` as an own, writable, configurable property. */
  set(target: object, key: PropertyKey, value: unknown): void {
    this.saved.push({ target, key, descriptor: Object.getOwnPropertyDescriptor(target, key) });
    Object.defineProperty(target, key, { value, writable: true, configurable: true, enumerable: true });
  }

  /** Defines `target[key]` with `descriptor` (an accessor, say), remembering what was there. */
  define(target: object, key: PropertyKey, descriptor: PropertyDescriptor): void {
    this.saved.push({ target, key, descriptor: Object.getOwnPropertyDescriptor(target, key) });
    Object.defineProperty(target, key, { configurable: true, ...descriptor });
  }

  /** Undoes every patch, last first (a key patched twice ends as it was before the first). */
  restore(): void {
    for (let i = this.saved.length - 1; i >= 0; i--) {
      const { target, key, descriptor } = this.saved[i]!;
      if (descriptor) Object.defineProperty(target, key, descriptor);
      else delete (target as Record<PropertyKey, unknown>)[key];
    }
    this.saved.length = 0;
  }
}
