import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

export async function handler(): Promise<APIGatewayProxyStructuredResultV2> {
  return { statusCode: 501, body: JSON.stringify({ error_code: 'DTF.00501000', error_msg: 'not implemented' }) };
}
