// Who is who in every test, demo and bench run: the project the declared meshes live in, and the
// function's own identity (SELF_PRINCIPAL), which the adapter sends to the emulator as its bearer
// so the function's writes come back as audit entries with this principal and are told apart.
export const PROJECT = 'demo-project';
export const REGION = 'asia-northeast1';
export const SELF_PRINCIPAL = 'mesh-remediator@demo-project.iam.gserviceaccount.com';
