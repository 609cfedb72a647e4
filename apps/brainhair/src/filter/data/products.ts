/**
 * Vendors and products an MSP's tickets name every day, in general IT and in the verticals it
 * serves (clinics, law and accounting firms, public safety). They are never people, even when a
 * word in them is also a first name or surname (Dell, Norton, Crystal Reports, Sage Intacct). Single
 * words that are more often first names (Tyler, Ruby, Chase) are left out: a product vetoes a person.
 * Callers add their own through the `products` option.
 */
// biome-ignore format: a data table reads better packed
export const PRODUCTS = [
  "Microsoft", "Microsoft 365", "Office 365", "Windows", "Windows Server", "Azure", "Entra", "Intune", "Outlook",
  "Teams", "SharePoint", "OneDrive", "Exchange", "Defender", "Excel", "PowerPoint", "Visio", "Dynamics", "Power BI",
  "Edge", "Bing", "Skype", "Hyper-V", "Active Directory", "Google", "Gmail", "Chrome", "Chromebook", "Workspace",
  "Apple", "macOS", "iPhone", "iPad", "iCloud", "Dell", "Latitude", "OptiPlex", "PowerEdge", "Precision", "Inspiron",
  "Vostro", "Wyse", "iDRAC", "Alienware", "HP", "HPE", "ProLiant", "EliteBook", "ProBook", "LaserJet", "OfficeJet",
  "DeskJet", "Aruba", "Lenovo", "ThinkPad", "ThinkCentre", "IdeaPad", "Cisco", "Meraki", "Webex", "Fortinet",
  "FortiGate", "FortiClient", "SonicWall", "WatchGuard", "Firebox", "Ubiquiti", "UniFi", "Netgear", "Juniper",
  "Palo Alto", "GlobalProtect", "Cradlepoint", "Barracuda", "Mimecast", "Proofpoint", "Datto", "Kaseya", "ConnectWise",
  "ScreenConnect", "NinjaOne", "N-able", "SentinelOne", "CrowdStrike", "Falcon", "Sophos", "Malwarebytes", "Webroot",
  "Norton", "McAfee", "Bitdefender", "ESET", "Huntress", "Veeam", "Acronis", "Carbonite", "Backblaze", "Synology",
  "QNAP", "VMware", "ESXi", "vSphere", "Citrix", "AnyDesk", "TeamViewer", "Zoom", "Slack", "Dropbox", "Adobe",
  "Acrobat", "Photoshop", "DocuSign", "Salesforce", "QuickBooks", "Intuit", "Xero", "Expensify", "Sage Intacct",
  "Sage 50", "Wise Business", "Chase Bank", "Amex", "Visa", "Mastercard", "PayPal", "Stripe", "BambooHR", "Gusto",
  "ADP", "Paychex", "Workday", "Concur", "Crystal Reports", "Jamf", "Okta", "Duo", "LastPass", "Bitwarden",
  "1Password", "Kyocera", "Canon", "Xerox", "Ricoh", "Lexmark", "Epson", "Zebra", "Konica Minolta", "Toshiba", "Kodak",
  "Fujitsu", "Grandstream", "Yealink", "Polycom", "Poly", "Mitel", "RingCentral", "Telnyx", "Twilio", "Vonage",
  "Nextiva", "Avaya", "Comcast", "Verizon", "AT&T", "T-Mobile", "Spectrum", "Lumen", "FedEx", "UPS", "USPS", "DHL",
  "Amazon", "AWS", "Linux", "Ubuntu", "Red Hat", "Debian", "Oracle", "MySQL", "SQL Server", "PostgreSQL", "WordPress",
  "Shopify", "Squarespace", "GoDaddy", "Cloudflare", "Epic", "Athena", "Cerner", "Meditech", "athenaOne", "athenahealth",
  "eClinicalWorks", "NextGen", "AdvancedMD", "Tebra", "Kareo", "DrChrono", "Practice Fusion", "SimplePractice",
  "TherapyNotes", "Dentrix", "Eaglesoft", "Open Dental", "Dexis", "Carestream", "Availity", "Waystar", "Trizetto",
  "Surescripts", "Updox", "Weave", "Solutionreach", "Rhapsody", "Mirth", "Nuance", "Dragon", "PointClickCare",
  "MatrixCare", "Zuercher", "Spillman", "Tyler Technologies", "Odyssey", "Axon", "Motorola", "NCIC", "Laserfiche",
  "CaseWare", "Clio", "PracticePanther", "MyCase", "Westlaw", "LexisNexis", "NetDocuments", "iManage", "Worldox",
  "ProLaw", "Thomson Reuters", "CCH", "Lacerte", "ProSeries", "UltraTax", "Procore", "AutoCAD", "Autodesk", "Revit",
  "SolidWorks", "Bluebeam", "Smartsheet", "Asana", "Trello", "Jira", "Confluence", "GitHub", "Zendesk", "Freshdesk",
  "ServiceNow", "Autotask", "Firefox", "Safari", "Java", "Python",
];

/**
 * Companies, brands and institutions named after people, which tickets mention as vendors, banks,
 * suppliers and holidays. Their words read as a first name and a surname, so without this list
 * "Jack Henry" (banking software) or "Henry Schein" (a dental supplier) would be taken for people.
 */
// biome-ignore format: a data table reads better packed
export const NAMED_AFTER_PEOPLE = [
  "Jack Henry", "Ellie Mae", "Wells Fargo", "Morgan Stanley", "Charles Schwab", "Edward Jones", "Goldman Sachs",
  "Merrill Lynch", "Raymond James", "Dow Jones", "Ernst & Young", "Marsh McLennan", "Arthur J. Gallagher",
  "Henry Schein", "Patterson Dental", "Benco Dental", "Dentsply Sirona", "Owens & Minor", "Johnson & Johnson",
  "Johnson Controls", "Sherwin Williams", "Sherwin-Williams", "Procter & Gamble", "Kaiser Permanente", "Mayo Clinic",
  "Cleveland Clinic", "Hewlett Packard", "Hewlett Packard Enterprise", "Dell Technologies", "Ford Motor",
  "Walt Disney", "John Deere", "Black & Decker", "Stanley Black & Decker", "Smith & Wesson", "Harley Davidson",
  "Ben & Jerry's", "Papa John's", "Ruth's Chris", "Dave Ramsey", "Martha Stewart", "Warren Averett", "Grant Thornton",
  "Baker Tilly", "Plante Moran", "Moss Adams", "Stephen F. Austin", "Austin Peay", "Johns Hopkins",
  "Martin Luther King Jr. Day", "Lincoln Financial", "Thomson Reuters", "Wolters Kluwer", "Tyler Technologies",
  "Jackson Hewitt", "H&R Block", "Herman Miller", "Ashley Furniture", "Welch Allyn", "Hill-Rom", "Becton Dickinson",
  "Abbott Laboratories", "Baxter International", "Fisher Scientific", "Thermo Fisher", "Cardinal Health",
  "Allen Bradley", "Rockwell Automation", "Emerson Electric", "Harris Computer", "Ingram Micro", "Tech Data",
];
