/**
 * Words around a name that say a person is meant: titles ("Dr.", "Sgt."), labels ("Requester:"),
 * roles ("arrestee", "QA supervisor"), phrases ("this is", "spoke with"), and what follows a name
 * (", LCSW", " (billing)", " <email>", " is a nurse").
 */

const set = (words: string): ReadonlySet<string> => new Set(words.split(/\s+/).filter(Boolean));

/** Titles: kept in the output ("Dr. Ravi N.", "Officer K."); a single word after one is a surname. */
export const TITLES = set(`
  dr doctor mr mrs ms miss mx prof professor sgt sergeant officer ofc deputy dep det detective lt lieutenant
  capt captain cpl corporal trooper agent sheriff chief judge justice hon honorable commissioner nurse rev
  reverend pastor atty attorney inspector marshal sen senator rep mayor cmdr commander major np rn lpn cna pa
  ada dda aag
`);

/** Field labels that introduce a person when a colon follows ("From: Bahar Rostami"). */
export const LABELS = set(`
  name patient pt requester requestor caller contact customer client user employee technician tech assignee
  owner from to cc attn attention provider physician driver defendant plaintiff inmate arrestee suspect victim
  witness applicant probationer parolee subject resident member subscriber insured guarantor guardian parent
  manager supervisor clerk sender recipient candidate officer deputy nurse doctor attorney judge signed
  reporter complainant juror tenant cardholder taxpayer dependent spouse rp subj susp comp vict drvr occ wit
  juv nam reportee interpreter for prescriber
`);

/** Role nouns that introduce a person without a colon ("arrestee cody ferris", "QA supervisor Lindsey Crane"). */
export const ROLES = set(`
  patient pt requester requestor caller customer employee technician tech assignee provider physician defendant
  plaintiff inmate arrestee suspect victim witness applicant probationer parolee resident subscriber insured
  guarantor guardian parent manager supervisor clerk candidate hygienist dentist therapist counselor pharmacist
  optometrist coder biller receptionist administrator director coordinator assistant paralegal bookkeeper
  accountant controller cfo ceo coo president engineer analyst dispatcher attorney spouse wife husband son
  daughter mother father reporter complainant juror tenant landlord cardholder taxpayer dependent colleague
  coworker driver subject occupant passenger offender interpreter decedent registrant client student
  nurse hire locum resident owner rp subj susp comp vict victim drvr occ wit juv arr def pltf reportee
  jailer scribe
`);

/** Multi-word phrases before a name ("spoke with", "this is"): lower-cased, joined by single spaces. */
export const PHRASES = [
  "this is",
  "it's",
  "it is",
  "i'm",
  "i am",
  "my name is",
  "name is",
  "names are",
  "spoke with",
  "spoke w/",
  "spoke to",
  "talked to",
  "talked with",
  "call from",
  "called by",
  "email from",
  "message from",
  "text from",
  "update from",
  "note from",
  "request from",
  "reply from",
  "response from",
  "voicemail from",
  "met with",
  "met",
  "meeting with",
  "assign to",
  "reassign to",
  "escalate to",
  "transfer to",
  "on behalf of",
  "signed by",
  "requested by",
  "submitted by",
  "reported by",
  "approved by",
  "assigned to",
  "according to",
  "contact is",
  "contact there is",
  "named",
  "name",
  "per",
  "cc",
  "for patient",
  "patient is",
  "pt is",
  "ship to",
  "deliver to",
  "mail to",
  "attention",
  "emergency contact",
  "next of kin",
  "full name",
  "legal name",
  "user is",
  "account of",
  "access for",
  "account for",
  "password for",
  "mailbox for",
  "login for",
  "laptop for",
  "onboard",
  "offboard",
  "onboarding",
  "offboarding",
  "terminate",
  "terminated",
  "hired",
  "new hire",
  "rehire",
  "add",
  "remove",
  "invite",
  "disable",
  "enable",
  "unlock",
  "reset",
  "hi",
  "hello",
  "hey",
  "dear",
  "thanks",
  "thank you",
  "welcome",
  "congrats to",
  "ask",
  "asked",
  "tell",
  "told",
  "ping",
  "email",
  "emailed",
  "call",
  "called",
  "text",
  "texted",
  "notify",
  "forward to",
  "it to",
  "them to",
  "this to",
  "back to",
  "hand off to",
  "handed off to",
  "forwarded to",
  "cc'd",
  "loop in",
];

/** Professional credentials written after a name: ", LCSW", ", MD". */
export const CREDENTIALS = set(`
  md do rn np pa pa-c lcsw lpn dds dmd phd esq cpa jd od pharmd dpt fnp aprn crna msw lmft lpc psyd dnp mba
  lmhc lcpc ccc-slp otr cma rda rdh
`);

/** Roles written after a name: ", owner", " (billing)", ", Office Manager". */
export const ROLES_AFTER = set(`
  owner manager office practice director nurse billing front desk receptionist administrator admin
  supervisor technician tech coordinator assistant clerk paralegal attorney partner associate bookkeeper
  controller cfo ceo coo cto president vp officer deputy physician dentist hygienist therapist counselor
  pharmacist optometrist provider scheduler coder biller hr payroll accounting reception lead intern
  dispatcher sergeant detective judge chief analyst engineer consultant
`);

/** Verbs that often follow a person as the subject of a sentence ("Signe Dahl uploaded"). */
export const VERBS_AFTER = set(`
  reports reported called calls says said asked asks needs needed wants wanted confirmed uploaded signed
  logged emailed texted requested submitted approved complained mentioned noticed tried cannot can't can
  could would will won't is was has had got gets received sent forwarded replied started starts left
  joined resigned retired moved clicked opened cant doesnt didnt wont isnt couldnt does did doesn't didn't isn't
  couldn't keeps kept lost forgot needs
`);

/** Lines that open a signature block; the name is on the next line. */
export const SIGN_OFFS =
  /^(?:--+|—|thanks|thank you|regards|best|best regards|kind regards|sincerely|cheers|respectfully|v\/r)[,.!]?\s*$/i;
