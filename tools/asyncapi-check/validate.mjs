// Validates an AsyncAPI document with the AsyncAPI project's parser, its Avro payload schemas with the project's Avro
// schema parser. Usage: node validate.mjs <file>. Prints each finding as a JSON line
// {"severity": "error"|"warning"|"information"|"hint", "code", "path", "message"}; exits 1 when the document does not
// parse or has an error, 0 otherwise. Java's AsyncApiCheck runs it and decides which findings fail a test.
import { Parser } from '@asyncapi/parser';
import { AvroSchemaParser } from '@asyncapi/avro-schema-parser';
import { readFileSync } from 'node:fs';

const SEVERITIES = ['error', 'warning', 'information', 'hint'];

if (process.argv.length !== 3) {
  console.error('usage: node validate.mjs <asyncapi document>');
  process.exit(2);
}
const parser = new Parser();
parser.registerSchemaParser(AvroSchemaParser());
const { document, diagnostics } = await parser.parse(readFileSync(process.argv[2], 'utf8'));
for (const finding of diagnostics) {
  console.log(JSON.stringify({
    severity: SEVERITIES[finding.severity] ?? String(finding.severity),
    code: String(finding.code),
    path: finding.path.join('/'),
    message: finding.message,
  }));
}
process.exit(document && !diagnostics.some(finding => finding.severity === 0) ? 0 : 1);
