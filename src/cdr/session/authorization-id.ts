/**
 * GIREVE's `authorization_id` for the CDR. A backend may hand it in at the top of
 * SessionEnded, in the Session, or both (then they must agree). An empty string means
 * "no authorization", like an absent one: the CDR omits the field rather than sending "".
 */

/** The value, or undefined when it is absent or empty. */
export function givenAuthorizationId(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

export function authorizationIdFor(input: {
  authorization_id?: string | undefined;
  session: { authorization_id?: string | undefined };
}): string | undefined {
  return givenAuthorizationId(input.authorization_id) ?? givenAuthorizationId(input.session.authorization_id);
}
