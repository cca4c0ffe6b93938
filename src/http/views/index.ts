/**
 * The API's (and the socket's) representation of each record: one place, so REST and realtime agree. Each view
 * sits beside its zod schema, which the OpenAPI document is generated from and which types the view's result.
 */
export { activitySchema, activityView, type ActivityJson } from './activity.view';
export { agentResultSchema, agentSchema, agentView, teamSchema, type AgentJson } from './agent.view';
export {
  channelSchema,
  channelView,
  capabilitiesSchema,
  channelTypeDescriptionSchema,
  channelTypeSchema,
  sessionStateSchema,
  SHIPPED_CHANNEL_TYPES,
  type ChannelJson,
} from './channel.view';
export { contactSchema, contactView, contactWithConversationsSchema, contactIdentitySchema, type ContactJson } from './contact.view';
export { conversationSchema, conversationView, type ConversationJson } from './conversation.view';
export { attachmentSchema, messageSchema, messageView, uploadSchema, type MessageJson } from './message.view';
export { dateTime, errorSchema } from './wire';
