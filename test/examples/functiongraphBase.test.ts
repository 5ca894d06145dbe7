import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * examples/functiongraph-base/main.tf: the network, DCS and API Gateway the FunctionGraph module needs
 * (README, "Deploy on Huawei FunctionGraph"). Without an account nothing here applies it; what can be
 * checked is that it parses as HCL, is `terraform fmt`-clean where the binary exists, creates the three
 * costly parts the README names, and outputs exactly what the module takes as its variables.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Obj = { [key: string]: Json };

const ROOT = join(__dirname, '../..');
const FILE = join(ROOT, 'examples/functiongraph-base/main.tf');
const { parse } = require('@cdktf/hcl2json') as { parse: (file: string, text: string) => Promise<Obj> };

function keysOf(v: Json | undefined): string[] {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? Object.keys(v) : [];
}

describe('examples/functiongraph-base', () => {
  it('parses, and creates the NAT gateway, the DCS instance and the API Gateway instance', async () => {
    const doc = await parse('main.tf', readFileSync(FILE, 'utf8'));
    const resources = keysOf(doc.resource);
    for (const r of ['huaweicloud_nat_gateway', 'huaweicloud_nat_snat_rule', 'huaweicloud_dcs_instance']) {
      expect(resources).toContain(r);
    }
    expect(resources).toContain('huaweicloud_apig_instance');
  });

  it('outputs what deploy/functiongraph takes as variables, under the same names', async () => {
    const base = await parse('main.tf', readFileSync(FILE, 'utf8'));
    const moduleVariables = await parse(
      'variables.tf',
      readFileSync(join(ROOT, 'deploy/functiongraph/variables.tf'), 'utf8'),
    );
    const outputs = keysOf(base.output);
    expect(outputs.sort()).toEqual(['apig_instance_id', 'dcs_host', 'subnet_id', 'vpc_id']);
    for (const o of outputs) expect(keysOf(moduleVariables.variable)).toContain(o);
  });

  it('is terraform fmt-clean (where a terraform binary is on PATH)', () => {
    const version = spawnSync('terraform', ['version'], { encoding: 'utf8' });
    if (version.status !== 0) {
      console.log('terraform is not on PATH: terraform fmt -check of examples/functiongraph-base not run');
      return;
    }
    const fmt = spawnSync('terraform', ['fmt', '-check', '-diff', join(ROOT, 'examples/functiongraph-base')], {
      encoding: 'utf8',
      env: { ...process.env, TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1' },
    });
    // -check lists unformatted files on stdout (a diff with -diff); stderr only carries CLI warnings.
    expect(fmt.stdout).toBe('');
    expect(fmt.status).toBe(0);
  });
});
