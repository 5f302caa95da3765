import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { PractitionerRole } from '@medplum/fhirtypes';
import { ScribeError, type User } from '../contract/index.ts';

/**
 * Who a SMART sign-in is (docs/decisions/0123-identity-from-the-ehr.md). Only clinical staff use Scribe:
 * the fhirUser must be a Practitioner or a PractitionerRole; a Patient, RelatedPerson or anything else is
 * refused. The role comes, first, from the IT admin's roles file (outside the data folder the person can
 * write), else from the codes of the person's PractitionerRole resources in the EHR, else `clinician`.
 */
export interface RoleDirectory {
  dataDir: string;
  ehr: {
    read(resourceType: 'PractitionerRole', id: string): Promise<unknown>;
    search(resourceType: 'PractitionerRole', params: Record<string, string | string[]>): Promise<unknown[]>;
  };
  /** The IT admin's roles file; default SCRIBE_ROLES_FILE, else /etc/scribe/roles.json (ProgramData on Windows). */
  rolesFile?: string;
}

type Role = User['role'];
const ROLES: readonly Role[] = ['clinician', 'scribe', 'manager'];

/** PractitionerRole codes (HL7 practitioner-role and SNOMED CT, plus the clinic's own) and the Scribe role each means. */
const ROLE_CODES: Record<string, Role> = {
  doctor: 'clinician',
  nurse: 'clinician',
  pharmacist: 'clinician',
  '158965000': 'clinician',
  '309343006': 'clinician',
  '224535009': 'clinician',
  scribe: 'scribe',
  'medical-scribe': 'scribe',
  'scribe-documentation': 'scribe',
  manager: 'manager',
  'practice-manager': 'manager',
  '224608005': 'manager',
};

export function defaultRolesFile(): string {
  if (process.env.SCRIBE_ROLES_FILE) return process.env.SCRIBE_ROLES_FILE;
  return process.platform === 'win32'
    ? path.join(process.env.ProgramData ?? 'C:\\ProgramData', 'Scribe', 'roles.json')
    : '/etc/scribe/roles.json';
}

/** The IT admin's file: `{ "Practitioner/123": "scribe", ... }`. Missing → no entries; unreadable or wrong → said plainly. */
async function rolesFromFile(file: string): Promise<Record<string, Role>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new ScribeError('unavailable', `The roles file ${file} cannot be read (${(error as Error).message}); ask your IT admin`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ScribeError('unavailable', `The roles file ${file} is not valid JSON; ask your IT admin to fix it`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new ScribeError('unavailable', `The roles file ${file} must map "Practitioner/<id>" to a role`);
  const out: Record<string, Role> = {};
  for (const [who, role] of Object.entries(parsed as Record<string, unknown>)) {
    if (!ROLES.includes(role as Role))
      throw new ScribeError(
        'unavailable',
        `The roles file ${file} gives ${who} the unknown role ${JSON.stringify(role)} (clinician, scribe or manager)`,
      );
    out[who] = role as Role;
  }
  return out;
}

function roleFromCodes(roles: PractitionerRole[]): Role | null {
  const found = new Set<Role>();
  for (const r of roles) {
    if (r.active === false) continue;
    for (const concept of r.code ?? [])
      for (const coding of concept.coding ?? []) {
        const role = coding.code ? ROLE_CODES[coding.code] : undefined;
        if (role) found.add(role);
      }
  }
  // Several roles: the one that sees the least PHI wins unless clinician is among them (a doctor who manages).
  if (found.has('clinician')) return 'clinician';
  if (found.has('scribe')) return 'scribe';
  if (found.has('manager')) return 'manager';
  return null;
}

export async function identityOf(
  u: { fhirUser: string; resourceType: string; id: string; name?: string },
  dir: RoleDirectory,
): Promise<User> {
  if (u.resourceType !== 'Practitioner' && u.resourceType !== 'PractitionerRole') {
    throw new ScribeError(
      'forbidden',
      `This EHR account is a ${u.resourceType}, not a practitioner: Scribe is for clinical staff. Sign in with your staff account.`,
    );
  }
  let practitionerRef = u.fhirUser;
  let ownRoles: PractitionerRole[] = [];
  if (u.resourceType === 'PractitionerRole') {
    const role = (await dir.ehr.read('PractitionerRole', u.id)) as PractitionerRole;
    const ref = role.practitioner?.reference;
    if (!ref || !/^Practitioner\/[A-Za-z0-9\-.]{1,64}$/.test(ref))
      throw new ScribeError('forbidden', `PractitionerRole/${u.id} names no practitioner; ask your EHR admin`);
    practitionerRef = ref;
    ownRoles = [role];
  }
  const file = await rolesFromFile(dir.rolesFile ?? defaultRolesFile());
  let role: Role | null = file[u.fhirUser] ?? file[practitionerRef] ?? null;
  if (!role) {
    const listed =
      u.resourceType === 'PractitionerRole'
        ? ownRoles
        : ((await dir.ehr.search('PractitionerRole', { practitioner: practitionerRef }).catch(() => [])) as PractitionerRole[]);
    role = roleFromCodes(listed);
  }
  const id = practitionerRef.split('/')[1]!;
  return { id, name: u.name ?? practitionerRef, role: role ?? 'clinician', fhirUser: practitionerRef };
}
