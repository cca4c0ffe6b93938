import { DelayedError, Worker, type Job, type Processor } from 'bullmq';
import { ActivityListener } from '../activity/activity.listener';
import { AssignmentListener } from '../assignment/assignment.listener';
import { assignmentProcessor } from '../assignment/assignment.job';
import { RoutingService } from '../assignment/routing.service';
import { AutoReplyListener } from '../auto-replies/auto-reply.listener';
import { autoReplyProcessor } from '../auto-replies/auto-reply.job';
import { AutoReplyService } from '../auto-replies/auto-reply.service';
import { CustomerMessageReplies } from '../auto-replies/customer-message-replies';
import { SessionRuntime, type SessionFactory } from '../channels/session-runtime';
import type { EventListener } from '../events/domain-events';
import { EventRelay } from '../events/relay';
import { startRelayWorker } from '../events/relay.job';
import { inboundProcessor, isExpectedInboundFailure } from '../ingest/inbound.job';
import { ingestWebhook } from '../ingest/ingest-webhook';
import { IdleResolver } from '../lifecycle/idle-resolve';
import { lifecycleProcessor } from '../lifecycle/lifecycle.job';
import { LifecycleListener } from '../lifecycle/lifecycle.listener';
import { SnoozeWaker } from '../lifecycle/snooze-wake';
import { outboundBackoff, outboundProcessor } from '../messages/outbound.job';
import { OutboundService } from '../messages/outbound.service';
import { startPendingSweeper } from '../messages/pending-sweeper';
import { QUEUE_NAMES } from '../queues/queues';
import { RateLimiter } from '../queues/rate-limiter';
import { plainConnection, workerConnection } from '../queues/redis';
import { RealtimeListener, socketKey } from '../realtime/realtime.listener';
import { presenceOf, redisConnection, type AppContext } from './services';
import type { StopStack } from './stop-stack';

export interface WorkerRoleOptions {
  /** By channel type: how to build the sessions of session-based connectors; tests pass fake session factories. */
  sessionFactories?: Record<string, SessionFactory>;
  sessionReconcileMs?: number;
  /** How often a process on standby tries to take over a session another process holds. */
  sessionLockRetryMs?: number;
  /** The clock working hours are read against; tests set it to a night, a weekend or a holiday. */
  clock?: () => Date;
  /** Listeners added to the shipped ones (activity, realtime, assignment, lifecycle, auto-replies). */
  extraListeners?: EventListener[];
}

/** The queues' workers, the event relay and its listeners, the pending-reply and lifecycle sweeps, and the session runtime. */
export async function startWorkerRole(ctx: AppContext, stops: StopStack, opts: WorkerRoleOptions): Promise<{ sessions: SessionRuntime }> {
  const { config, logger } = ctx;
  const connection = redisConnection(stops, 'worker', workerConnection(config.redisUrl), logger);
  // The lock is renewed while a job runs; a worker killed without warning keeps its jobs until it expires.
  const base = {
    connection,
    prefix: config.redisPrefix,
    concurrency: config.workerConcurrency,
    lockDuration: config.jobLockMs,
    stalledInterval: config.jobLockMs,
  };
  const workers: Worker[] = [];
  const start = <T>(name: string, processor: Processor<T>, extra: object = {}, quiet: (err: Error) => boolean = () => false) => {
    const w = new Worker<T>(name, processor, { ...base, ...extra });
    w.on('failed', (job: Job<T> | undefined, err: Error) => {
      if (!quiet(err)) logger.error({ queue: name, jobId: job?.id, attemptsMade: job?.attemptsMade, err: err.message }, 'job failed');
    });
    w.on('error', (err) => logger.error({ queue: name, err: err.message }, 'worker error'));
    workers.push(w as Worker);
  };

  start(QUEUE_NAMES.inbound, inboundProcessor(ctx), {}, isExpectedInboundFailure);
  const autoReplies = new AutoReplyService(ctx.queues, config.outbound.attempts, opts.clock);
  start(QUEUE_NAMES.assignment, assignmentProcessor(new RoutingService(ctx.ds, autoReplies), presenceOf(ctx)));
  start(QUEUE_NAMES.autoReplies, autoReplyProcessor(new CustomerMessageReplies(ctx.ds, autoReplies)));
  start(
    QUEUE_NAMES.outbound,
    outboundProcessor({
      outbound: new OutboundService(ctx.ds, ctx.channels, ctx.uploads, ctx.mediaUrls, logger),
      rateLimiter: new RateLimiter(connection, config.redisPrefix),
      rateLimitsOf: (type) => ctx.channels.registry.get(type)?.capabilities.rateLimits,
      logger,
      attempts: config.outbound.attempts,
    }),
    { settings: { backoffStrategy: outboundBackoff(config.outbound.backoffMs) } },
  );
  start(QUEUE_NAMES.lifecycle, lifecycleProcessor(new SnoozeWaker(ctx.ds), new IdleResolver(ctx.ds, autoReplies)), {}, (err) => err instanceof DelayedError);
  stops.push('workers', () => Promise.all(workers.map((w) => w.close())).then(() => undefined));
  // One scheduler across all processes: each interval's sweep runs once, in whichever worker takes it.
  await ctx.queues.lifecycle.upsertJobScheduler(
    'lifecycle-sweep',
    { every: config.lifecycleSweepMs },
    { name: 'sweep', opts: { removeOnComplete: true, removeOnFail: 100 } },
  );

  const emitterRedis = redisConnection(stops, 'emitter', plainConnection(config.redisUrl));
  const listeners: EventListener[] = [
    // First: it writes the activity entries the realtime listener then pushes, in the same relay transaction.
    new ActivityListener(),
    new RealtimeListener(emitterRedis, socketKey(config.redisPrefix)),
    new AssignmentListener(ctx.queues.assignment),
    new LifecycleListener(ctx.queues.lifecycle),
    new AutoReplyListener(ctx.queues.autoReplies),
    ...(opts.extraListeners ?? []),
  ];
  const relay = await startRelayWorker({
    queue: ctx.queues.events,
    connection,
    prefix: config.redisPrefix,
    relay: new EventRelay(ctx.ds, listeners, logger),
    nudger: ctx.nudger,
    logger,
  });
  stops.push('event relay', () => relay.close());

  const sweeper = startPendingSweeper(
    ctx.ds,
    ctx.queues,
    { attempts: config.outbound.attempts, everyMs: config.pendingSweepMs, olderThanMs: config.pendingSweepMs },
    logger,
  );
  stops.push('pending sweeper', () => sweeper.stop());

  const subscriber = redisConnection(stops, 'sessions', plainConnection(config.redisUrl));
  const sessions = new SessionRuntime({ ...ctx, ingest: (channel, request) => ingestWebhook(ctx, channel, request) }, ctx.redis, subscriber, {
    factories: opts.sessionFactories,
    reconcileMs: opts.sessionReconcileMs,
    lockRetryMs: opts.sessionLockRetryMs,
  });
  await sessions.start();
  stops.push('sessions', () => sessions.stop());
  logger.info({ concurrency: config.workerConcurrency }, 'workers started');
  return { sessions };
}
