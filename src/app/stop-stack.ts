/** What a process started, stopped in reverse order: the API stops taking requests before the database closes. */
export class StopStack {
  private readonly stops: Array<{ name: string; stop: () => Promise<void> | void }> = [];

  push(name: string, stop: () => Promise<void> | void): void {
    this.stops.push({ name, stop });
  }

  async stopAll(onError: (name: string, err: Error) => void): Promise<void> {
    for (const { name, stop } of this.stops.splice(0).reverse()) {
      try {
        await stop();
      } catch (err) {
        onError(name, err as Error);
      }
    }
  }
}
