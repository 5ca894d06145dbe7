/** Wire names of Huawei Cloud's SDK-HMAC-SHA256 scheme, shared by the signer, the emulator and the tests. */
export const SIGNING = {
  algorithm: 'SDK-HMAC-SHA256',
  dateHeader: 'X-Sdk-Date',
  projectHeader: 'X-Project-Id',
  securityTokenHeader: 'X-Security-Token',
  authorizationHeader: 'Authorization',
  /** sha256 of the empty string: the payload hash of every GET. */
  emptyBodySha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
} as const;
