export { SIGNING } from './constants';
export { encodeRfc3986 } from './encodeRfc3986';
export { canonicalUri } from './canonicalUri';
export { canonicalQuery, type QueryParams } from './canonicalQuery';
export { canonicalHeaders, type CanonicalHeaders } from './canonicalHeaders';
export { formatSdkDate, parseSdkDate } from './formatSdkDate';
export { credentialsFromEnv, MissingCredentialsError, type Credentials } from './credentials';
export {
  signRequest,
  computeSignature,
  buildSignedUrl,
  type RequestToSign,
  type SignOptions,
  type SignatureParts,
} from './signRequest';
export { parseAuthorization, type ParsedAuthorization } from './parseAuthorization';
