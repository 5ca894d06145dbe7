import { afterEach, describe, expect, it, vi } from 'vitest';
import { credentialsFromEnv, MissingCredentialsError } from '../../lib/signing';

const AK = 'HPUAEXAMPLEAKEXAMPLE';
const SK = 'exampleSecretKeyexampleSecretKey12345678';
const TOKEN = 'exampleSecurityToken';

function caught(fn: () => unknown): MissingCredentialsError {
  try {
    fn();
  } catch (error) {
    if (error instanceof MissingCredentialsError) return error;
    throw error;
  }
  throw new Error('expected MissingCredentialsError');
}

/** No credential value may appear anywhere a logger could print it. */
function expectNoSecrets(error: MissingCredentialsError, ...values: string[]): void {
  const printed = [error.message, String(error), error.stack ?? '', JSON.stringify(error)].join('\n');
  for (const value of values) expect(printed).not.toContain(value);
}

describe('credentialsFromEnv', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('reads CLOUD_SDK_AK and CLOUD_SDK_SK', () => {
    vi.stubEnv('CLOUD_SDK_AK', AK);
    vi.stubEnv('CLOUD_SDK_SK', SK);
    vi.stubEnv('CLOUD_SDK_SECURITY_TOKEN', undefined);
    expect(credentialsFromEnv()).toEqual({ accessKeyId: AK, secretAccessKey: SK });
  });

  it('adds CLOUD_SDK_SECURITY_TOKEN for temporary credentials', () => {
    vi.stubEnv('CLOUD_SDK_AK', AK);
    vi.stubEnv('CLOUD_SDK_SK', SK);
    vi.stubEnv('CLOUD_SDK_SECURITY_TOKEN', TOKEN);
    expect(credentialsFromEnv()).toEqual({ accessKeyId: AK, secretAccessKey: SK, securityToken: TOKEN });
  });

  it('treats an empty CLOUD_SDK_SECURITY_TOKEN as none', () => {
    vi.stubEnv('CLOUD_SDK_AK', AK);
    vi.stubEnv('CLOUD_SDK_SK', SK);
    vi.stubEnv('CLOUD_SDK_SECURITY_TOKEN', '');
    expect(credentialsFromEnv()).not.toHaveProperty('securityToken');
  });

  it('reads an explicit environment instead of process.env', () => {
    vi.stubEnv('CLOUD_SDK_AK', undefined);
    expect(credentialsFromEnv({ CLOUD_SDK_AK: AK, CLOUD_SDK_SK: SK })).toEqual({
      accessKeyId: AK,
      secretAccessKey: SK,
    });
  });

  it('missing AK: MissingCredentialsError naming CLOUD_SDK_AK, without the SK or token', () => {
    vi.stubEnv('CLOUD_SDK_AK', undefined);
    vi.stubEnv('CLOUD_SDK_SK', SK);
    vi.stubEnv('CLOUD_SDK_SECURITY_TOKEN', TOKEN);
    const error = caught(() => credentialsFromEnv());
    expect(error.name).toBe('MissingCredentialsError');
    expect(error.missing).toEqual(['CLOUD_SDK_AK']);
    expect(error.message).toContain('CLOUD_SDK_AK');
    expect(error.message).not.toContain('CLOUD_SDK_SK');
    expectNoSecrets(error, SK, TOKEN);
  });

  it('missing SK: MissingCredentialsError naming CLOUD_SDK_SK, without the AK or token', () => {
    vi.stubEnv('CLOUD_SDK_AK', AK);
    vi.stubEnv('CLOUD_SDK_SK', undefined);
    vi.stubEnv('CLOUD_SDK_SECURITY_TOKEN', TOKEN);
    const error = caught(() => credentialsFromEnv());
    expect(error.missing).toEqual(['CLOUD_SDK_SK']);
    expect(error.message).toContain('CLOUD_SDK_SK');
    expect(error.message).not.toContain('CLOUD_SDK_AK');
    expectNoSecrets(error, AK, TOKEN);
  });

  it('an empty value counts as missing', () => {
    vi.stubEnv('CLOUD_SDK_AK', AK);
    vi.stubEnv('CLOUD_SDK_SK', '');
    expect(caught(() => credentialsFromEnv()).missing).toEqual(['CLOUD_SDK_SK']);
  });

  it('both missing: both named in one error', () => {
    vi.stubEnv('CLOUD_SDK_AK', undefined);
    vi.stubEnv('CLOUD_SDK_SK', undefined);
    const error = caught(() => credentialsFromEnv());
    expect(error.missing).toEqual(['CLOUD_SDK_AK', 'CLOUD_SDK_SK']);
    expect(error.message).toContain('CLOUD_SDK_AK');
    expect(error.message).toContain('CLOUD_SDK_SK');
    expect(error).toBeInstanceOf(Error);
  });
});
