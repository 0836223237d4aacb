import { assertNever, DomainError, notFound, ruleViolated, type Decider } from '@homeward/decider';
import { isUuid } from './ids.js';
import type { RecipientCommand } from './recipient.commands.js';
import { channels, maxFollows, recipientRoles, type RecipientEvent } from './recipient.events.js';
import { publicTargetsOnly, webhookUrlProblem, type WebhookTargetPolicy } from './webhook-target.js';

/** erased: the recipient's key is destroyed, nothing of them is readable and nothing more is taken. */
export type RecipientState =
  { status: 'unregistered' } | { status: 'registered'; consent: boolean; follows: readonly string[] } | { status: 'erased' };

export const initialRecipientState = (): RecipientState => ({ status: 'unregistered' });

const invalid = (code: string, message: string) => new DomainError('validation-failed', code, message);

// Deliberately plain: one @, no spaces, a dot in the domain. The gateway checks the full format.
const emailAddress = /^[^\s@]{1,64}@[^\s@]+\.[^\s@]{2,}$/;

const webhookRefusals = {
  'webhook-url-invalid': ['recipient.address-invalid', 'a webhook recipient needs an https URL without credentials'],
  'webhook-https-required': ['recipient.webhook-https-required', 'a webhook must be an https URL: plain http is refused'],
  'webhook-address-refused': [
    'recipient.webhook-address-refused',
    'a webhook must point to a public host: loopback, private, link-local, shared (CGNAT), metadata and internal names are refused',
  ],
} as const;

/** 32 random bytes as hex, drawn by the caller: the recipient's own key for signing webhooks. */
const webhookSecretFormat = /^[0-9a-f]{64}$/;

/** Checks what a recipient is made of; messages never quote the address or the secret. */
function checkAddress(channel: string, address: string, webhookSecret: string, policy: WebhookTargetPolicy): void {
  if (!(channels as readonly string[]).includes(channel))
    throw invalid('recipient.channel-unknown', `channel must be one of ${channels.join(', ')}`);
  if (address.length > 2048) throw invalid('recipient.address-invalid', 'the address is too long');
  if (channel === 'email' && !emailAddress.test(address))
    throw invalid('recipient.address-invalid', 'an email recipient needs an email address');
  if (channel === 'email' && webhookSecret !== '')
    throw invalid('recipient.webhook-secret-invalid', 'an email recipient has no webhook secret');
  if (channel !== 'webhook') return;
  const problem = webhookUrlProblem(address, policy);
  if (problem) {
    const [code, message] = webhookRefusals[problem];
    throw invalid(code, message);
  }
  if (!webhookSecretFormat.test(webhookSecret))
    throw invalid('recipient.webhook-secret-invalid', 'a webhook recipient needs its own secret of 32 random bytes (64 hex digits)');
}

function checkFollows(follows: readonly string[]): void {
  if (follows.length > maxFollows) throw invalid('recipient.too-many-follows', `a recipient follows at most ${maxFollows} people`);
  if (!follows.every(isUuid)) throw invalid('recipient.follows-invalid', 'follows must hold person ids (UUIDs)');
  if (new Set(follows).size !== follows.length) throw invalid('recipient.follows-invalid', 'follows must not repeat a person');
}

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && new Set([...a, ...b]).size === a.length;

function evolve(state: RecipientState, event: RecipientEvent): RecipientState {
  switch (event.type) {
    case 'RecipientRegistered':
      return { status: 'registered', consent: event.data.consent, follows: event.data.follows };
    case 'RecipientConsentWithdrawn':
      return state.status === 'registered' ? { ...state, consent: false } : state;
    case 'RecipientFollowsChanged':
      return state.status === 'registered' ? { ...state, follows: event.data.follows } : state;
    case 'RecipientErased':
      return { status: 'erased' };
    default:
      return assertNever(event);
  }
}

const erased = () => ruleViolated('recipient.erased', 'this recipient has been erased; nothing more is recorded about them');

/** A recipient who can still be changed: registered and not erased. */
function registered(state: RecipientState): Extract<RecipientState, { status: 'registered' }> {
  if (state.status === 'erased') throw erased();
  if (state.status === 'unregistered') throw notFound('recipient.not-found', 'no recipient with this id');
  return state;
}

function decide(command: RecipientCommand, state: RecipientState): RecipientEvent[] {
  switch (command.type) {
    case 'RegisterRecipient': {
      if (state.status === 'erased') throw erased();
      if (state.status === 'registered')
        throw new DomainError('rule-violated', 'recipient.already-registered', 'this recipient is already registered');
      const { role, channel, address, follows, webhookSecret = '' } = command.data;
      if (!(recipientRoles as readonly string[]).includes(role))
        throw invalid('recipient.role-unknown', `role must be one of ${recipientRoles.join(', ')}`);
      checkAddress(channel, address, webhookSecret, command.webhookTargets ?? publicTargetsOnly);
      checkFollows(follows);
      return [{ type: 'RecipientRegistered', data: command.data }];
    }
    case 'WithdrawConsent':
      return registered(state).consent ? [{ type: 'RecipientConsentWithdrawn', data: command.data }] : [];
    case 'ChangeFollows': {
      const recipient = registered(state);
      checkFollows(command.data.follows);
      return sameSet(recipient.follows, command.data.follows) ? [] : [{ type: 'RecipientFollowsChanged', data: command.data }];
    }
    case 'EraseRecipient':
      // Erasing twice is answered, not refused: the second records nothing.
      if (state.status === 'erased') return [];
      registered(state);
      return [{ type: 'RecipientErased', data: command.data }];
    case 'UnfollowPerson': {
      // Anyone not following the person (an erased recipient follows nobody) has nothing to drop.
      if (state.status !== 'registered' || !state.follows.includes(command.data.personId)) return [];
      const { recipientId, personId } = command.data;
      return [{ type: 'RecipientFollowsChanged', data: { recipientId, follows: state.follows.filter((id) => id !== personId) } }];
    }
    default:
      return assertNever(command);
  }
}

export const recipientDecider: Decider<RecipientCommand, RecipientEvent, RecipientState> = {
  decide,
  evolve,
  initialState: initialRecipientState,
};
