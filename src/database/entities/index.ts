import { Agent } from './agent.entity';
import { ApiToken } from './api-token.entity';
import { Channel } from './channel.entity';
import { Contact } from './contact.entity';
import { ContactIdentity } from './contact-identity.entity';
import { Conversation } from './conversation.entity';
import { ConversationActivity } from './conversation-activity.entity';
import { DeadLetter } from './dead-letter.entity';
import { InboxMember } from './inbox-member.entity';
import { Message } from './message.entity';
import { Team, TeamMember } from './team.entity';
import { Upload } from './upload.entity';

export { Agent, ApiToken, Channel, Contact, ContactIdentity, Conversation, ConversationActivity, DeadLetter, InboxMember, Message, Team, TeamMember, Upload };

export const entities = [
  Agent,
  ApiToken,
  Channel,
  Contact,
  ContactIdentity,
  Conversation,
  ConversationActivity,
  DeadLetter,
  InboxMember,
  Message,
  Team,
  TeamMember,
  Upload,
];
