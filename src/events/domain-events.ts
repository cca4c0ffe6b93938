import type { EntityManager } from 'typeorm';

/**
 * Every change that matters, as a typed event. A change and its events are written in one database
 * transaction (the outbox, see outbox.ts); the relay hands them to listeners at least once, in order per
 * conversation. A new feature subscribes to these; it does not edit the code that makes the change.
 *
 * Payloads carry ids and the facts of the change, not copies of rows: a listener that needs a row reads it
 * (the realtime listener reads a whole batch's rows in two queries).
 */
export interface DomainEventMap {
  /** A customer's message was stored. `assigneeId` is the conversation's at that moment. */
  /** `waiting`: the conversation was already in its inbox's queue (absent in events written before it existed). */
  'message.received': { messageId: string; assigneeId: string | null; waiting?: boolean };
  /** A customer edited a message we had. */
  'message.edited': { messageId: string };
  /** An agent wrote a reply (queued for sending) or a private note; or Parley wrote an automatic message (agentId null). */
  'message.created': { messageId: string; agentId: string | null; private: boolean };
  /** A reply's delivery status moved: sent, delivered, read or failed. */
  'message.status_changed': { messageId: string; status: string };
  /** An agent sent a failed reply again: it is `pending` and queued once more. */
  'message.retried': { messageId: string; agentId: string };
  'conversation.created': { contactId: string; channelId: string };
  /**
   * `byAgentId` null: Parley or the customer did it, and `reason` says which (absent for an agent's change).
   * `snoozedUntil` (ISO) when `to` is snoozed: the wake job is scheduled from it.
   */
  'conversation.status_changed': { from: string; to: string; byAgentId: string | null; reason?: StatusChangeReason; snoozedUntil?: string };
  'conversation.assigned': {
    assigneeId: string | null;
    previousAssigneeId: string | null;
    teamId: string | null;
    previousTeamId: string | null;
    /** null when routing chose the agent. */
    byAgentId: string | null;
    /**
     * Set when an agent transferred the conversation: the note is for the receiving side only (never sent to the
     * customer, never in other agents' socket events); `customerMessageId` is the message the customer was sent.
     */
    transfer?: { note: string | null; customerMessageId: string | null };
  };
  /** An agent put the customer on hold; `customerMessageId` is the hold message sent to them, if any. */
  'conversation.held': { byAgentId: string; customerMessageId: string | null };
  /** A contact's details or their standing on a channel changed (a customer blocked or unblocked the bot). */
  'contact.updated': { contactId: string; reason: 'blocked' | 'unblocked' };
  /**
   * An agent can (or can no longer) be given conversations, or has more room: availability set (any change of
   * it, even one that leaves them unavailable, as busy to offline), capacity raised, or presence lost or back.
   */
  'agent.availability_changed': { agentId: string; available: boolean; reason: 'availability' | 'presence' };
  /** An inbox's routing settings changed: waiting conversations may now go through. */
  'inbox.routing_changed': { channelId: string };
  /**
   * Agents joined or left an inbox (`agentIds`: those whose membership changed): their open sockets' rooms
   * follow, and the inbox's waiting queue is served again (a new member may take someone). `byAgentId` is
   * null when Parley made the change (a new inbox starts with every agent).
   */
  'inbox.members_changed': { channelId: string; agentIds: string[]; byAgentId: string | null };
  /** `mergedContactId` now points at `contactId`; its identities and conversations moved there. */
  'contact.merged': { contactId: string; mergedContactId: string };
  /** A bearer token stopped working before its time: its sockets are told and disconnected. */
  'token.revoked': { tokenId: string; agentId: string; reason: TokenRevokedReason };
  /**
   * What an agent may see changed: disabled (their sockets are told and disconnected), or their role or teams
   * changed (their sockets' rooms are recomputed from the agent as it is when relayed).
   */
  'agent.access_changed': { agentId: string; reason: AccessChangedReason };
}

/** Why a conversation's status changed without an agent: its snooze ended, the customer wrote, or it was idle. */
export type StatusChangeReason = 'snooze_ended' | 'customer_wrote' | 'idle';
export type TokenRevokedReason = 'logout' | 'password_changed' | 'password_reset';
export type AccessChangedReason = 'disabled' | 'role_changed' | 'teams_changed';

export type DomainEventType = keyof DomainEventMap;

/** An event as a change records it. `conversationId` orders events and tells listeners what they concern. */
export type NewDomainEvent = {
  [K in DomainEventType]: { type: K; conversationId: string | null; data: DomainEventMap[K] };
}[DomainEventType];

/** An event as listeners receive it: with its outbox id (increasing in commit order) and time. */
export type DomainEvent = NewDomainEvent & { id: string; occurredAt: Date };

/** Narrows an event to one type. */
export function isEvent<K extends DomainEventType>(e: DomainEvent, type: K): e is DomainEvent & { type: K; data: DomainEventMap[K] } {
  return e.type === type;
}

/**
 * A listener gets events in batches, in outbox order. It must be quick and idempotent: a batch is handed again
 * when any listener fails on it (at least once). Slow work goes to a queue of the listener's own.
 */
export interface EventListener {
  readonly name: string;
  /** `reader` is the relay's transaction: read rows through it rather than asking the pool for another connection. */
  handle(events: DomainEvent[], reader: EntityManager): Promise<void>;
}
