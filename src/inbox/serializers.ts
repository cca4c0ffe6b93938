import type { Agent, Channel, Contact, ContactIdentity, Conversation, Message } from '../database/entities';

/** The API's (and the socket's) representation of each record: one place, so REST and realtime agree. */

/** Bot Framework conversations say which service they come from: facebook (Messenger), msteams, skype, webchat. */
function platformOf(c: Conversation): string | null {
  const service = c.replyContext?.channelId;
  return typeof service === 'string' ? service : null;
}

export function conversationView(c: Conversation) {
  return {
    id: c.id,
    channelId: c.channelId,
    platform: platformOf(c),
    contactId: c.contactId,
    externalThreadId: c.externalThreadId,
    isGroup: c.isGroup,
    title: c.title,
    status: c.status,
    assigneeId: c.assigneeId,
    teamId: c.teamId,
    snoozedUntil: c.snoozedUntil,
    firstReplyAt: c.firstReplyAt,
    lastActivityAt: c.lastActivityAt,
    lastInboundAt: c.lastInboundAt,
    resolvedAt: c.resolvedAt,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
  };
}

export function messageView(m: Message) {
  return {
    id: m.id,
    conversationId: m.conversationId,
    channelId: m.channelId,
    direction: m.direction,
    senderContactId: m.senderContactId,
    senderAgentId: m.senderAgentId,
    text: m.text,
    // mediaRef is the platform's handle: clients download through /messages/:id/attachments/:index instead.
    attachments: m.attachments.map(({ mediaRef: _ref, uploadId: _upload, ...rest }) => rest),
    private: m.isPrivate,
    externalId: m.externalId,
    platformMessageId: m.platformMessageId,
    replyToExternalId: m.replyToExternalId,
    platformKind: m.platformKind,
    status: m.status,
    failureReason: m.failureReason,
    sentAt: m.sentAt,
    deliveredAt: m.deliveredAt,
    readAt: m.readAt,
    editedAt: m.editedAt,
    createdAt: m.createdAt,
  };
}

export function contactView(c: Contact, identities: ContactIdentity[]) {
  return {
    id: c.id,
    name: c.name,
    avatarUrl: c.avatarUrl,
    mergedIntoId: c.mergedIntoId,
    blocked: identities.length > 0 && identities.every((i) => i.blockedAt !== null),
    identities: identities.map((i) => ({
      id: i.id,
      channelId: i.channelId,
      externalId: i.externalId,
      displayName: i.displayName,
      username: i.username,
      profile: i.profile,
      blockedAt: i.blockedAt,
      blockedReason: i.blockedReason,
    })),
    createdAt: c.createdAt,
  };
}

export function agentView(a: Agent) {
  return {
    id: a.id,
    email: a.email,
    name: a.name,
    role: a.role,
    availability: a.availability,
    capacity: a.capacity,
    disabled: a.disabledAt !== null,
    createdAt: a.createdAt,
  };
}

/** Settings only: credentials never leave the server. */
export function channelView(c: Channel, publicUrl: string) {
  return {
    id: c.id,
    type: c.type,
    name: c.name,
    settings: c.settings,
    webhookUrl: `${publicUrl}/webhooks/${c.webhookId}`,
    createdAt: c.createdAt,
  };
}
