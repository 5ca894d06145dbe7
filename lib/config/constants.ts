/**
 * Patterns of the configuration document. The JSON Schema (`schema/config.schema.json`) repeats them
 * and `test/config/schema.test.ts` checks that both spell them the same.
 */

/** Ids as DMS issues them: letters, digits, `-` and `_`, 1 to 64 characters. Shared with the HTTP validation. */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/** Names the document gives (destinations, routes): like an id, `.` allowed too. */
export const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** `{"env": NAME}`: a portable environment variable name. */
export const ENV_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `{"ssm": NAME}`: the characters SSM allows in a parameter name (paths included). */
export const SSM_NAME_PATTERN = /^[A-Za-z0-9_.\-/]+$/;

/** A DynamoDB table name. */
export const TABLE_NAME_PATTERN = /^[A-Za-z0-9_.-]{3,255}$/;
