import type { Queue } from 'bullmq';
import type { EntitySubscriberInterface, TransactionCommitEvent, TransactionRollbackEvent } from 'typeorm';
import { RECORDED_EVENTS } from './outbox';

/**
 * Asks for a relay run soon after a commit that recorded events. Nudges within 20 ms of each
 * other become one job: at a few hundred commits a second the relay runs a few dozen times, each run taking
 * everything committed so far.
 */
export class RelayNudger {
  private scheduled = false;

  constructor(
    private readonly queue: Queue,
    private readonly coalesceMs = 20,
  ) {}

  nudge(delayMs = 0): void {
    if (delayMs > 0) {
      void this.queue.add('relay', {}, { delay: delayMs }).catch(() => undefined);
      return;
    }
    if (this.scheduled) return;
    this.scheduled = true;
    setTimeout(() => {
      this.scheduled = false;
      // Redis down: the events are safe in PostgreSQL and the periodic sweep relays them once it is back.
      void this.queue.add('relay', {}).catch(() => undefined);
    }, this.coalesceMs).unref();
  }
}

/** A TypeORM subscriber: nudges the relay when a transaction that recorded events commits. */
export class OutboxCommitSubscriber implements EntitySubscriberInterface {
  constructor(private readonly nudger: RelayNudger) {}

  afterTransactionCommit(e: TransactionCommitEvent): void {
    if (!e.queryRunner.data[RECORDED_EVENTS]) return;
    delete e.queryRunner.data[RECORDED_EVENTS];
    this.nudger.nudge();
  }

  afterTransactionRollback(e: TransactionRollbackEvent): void {
    delete e.queryRunner.data[RECORDED_EVENTS];
  }
}
