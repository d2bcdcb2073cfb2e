/**
 * The people who file the demo desk's tickets: employees of a few organisations plus some
 * people writing from personal mail. All addresses are on reserved `.example` domains, so a
 * demo install never mails a real person. `requester@example.com` (Rita Requester) is the demo
 * requester account: her tickets show under /requests when she signs in.
 */
export interface DemoRequester {
  /** Key used by the ticket data (`by`). */
  id: string;
  name: string;
  email: string;
}

const PEOPLE: [id: string, name: string, domain: string][] = [
  ["rita", "Rita Requester", "example.com"],
  ["dana", "Dana Whitfield", "northwind.example"],
  ["marcus", "Marcus Feld", "northwind.example"],
  ["ellen", "Ellen Park", "northwind.example"],
  ["omar", "Omar Haddad", "northwind.example"],
  ["greta", "Greta Lindqvist", "northwind.example"],
  ["felix", "Felix Brandt", "northwind.example"],
  ["naomi", "Naomi Adeyemi", "northwind.example"],
  ["victor", "Victor Chen", "northwind.example"],
  ["lena", "Lena Hoffmann", "northwind.example"],
  ["raj", "Raj Patel", "northwind.example"],
  ["sophie", "Sophie Laurent", "northwind.example"],
  ["tobias", "Tobias Krüger", "northwind.example"],
  ["amelia", "Amelia Hughes", "northwind.example"],
  ["diego", "Diego Ramírez", "northwind.example"],
  ["hana", "Hana Sato", "northwind.example"],
  ["patrick", "Patrick Doyle", "northwind.example"],
  ["irene", "Irene Kowalski", "northwind.example"],
  ["samuel", "Samuel Osei", "northwind.example"],
  ["clara", "Clara Jensen", "northwind.example"],
  ["bruno", "Bruno Costa", "northwind.example"],
  ["fatima", "Fatima Zahra", "northwind.example"],
  ["george", "George Whitaker", "northwind.example"],
  ["mei", "Mei Lin", "northwind.example"],
  ["liam", "Liam Gallagher", "contoso.example"],
  ["anika", "Anika Sharma", "contoso.example"],
  ["jakob", "Jakob Wagner", "contoso.example"],
  ["olivia", "Olivia Bennett", "contoso.example"],
  ["henrik", "Henrik Nilsson", "contoso.example"],
  ["zoe", "Zoe Thompson", "contoso.example"],
  ["ibrahim", "Ibrahim Musa", "contoso.example"],
  ["carmen", "Carmen Ortega", "contoso.example"],
  ["kenji", "Kenji Watanabe", "contoso.example"],
  ["rachel", "Rachel Stein", "contoso.example"],
  ["arjun", "Arjun Mehta", "contoso.example"],
  ["beatrice", "Beatrice Moreau", "contoso.example"],
  ["lukas", "Lukas Novak", "contoso.example"],
  ["priscilla", "Priscilla Owusu", "contoso.example"],
  ["nathan", "Nathan Brooks", "contoso.example"],
  ["elena", "Elena Popescu", "contoso.example"],
  ["thomas", "Thomas Reid", "contoso.example"],
  ["yara", "Yara Haddad", "contoso.example"],
  ["martin", "Martin Dubois", "fabrikam.example"],
  ["julia", "Julia Santos", "fabrikam.example"],
  ["kofi", "Kofi Mensah", "fabrikam.example"],
  ["ingrid", "Ingrid Svensson", "fabrikam.example"],
  ["pavel", "Pavel Horák", "fabrikam.example"],
  ["aisha", "Aisha Bello", "fabrikam.example"],
  ["chris", "Chris Morgan", "fabrikam.example"],
  ["laila", "Laila Karimi", "fabrikam.example"],
  ["owen", "Owen Price", "fabrikam.example"],
  ["nora", "Nora Fitzgerald", "fabrikam.example"],
];

/** Personal addresses (contractors, new starters before their account exists). */
const FREE_MAIL: [id: string, name: string, email: string][] = [
  ["jess", "Jess Carter", "jess.carter84@fastmail.example"],
  ["mateo", "Mateo Rossi", "mateo.rossi@postbox.example"],
  ["wendy", "Wendy Ng", "wendy.ng.home@fastmail.example"],
  ["alex", "Alex Novak", "alexnovak.contract@postbox.example"],
  ["siobhan", "Siobhan Kelly", "siobhan.k@fastmail.example"],
  ["youssef", "Youssef Amrani", "y.amrani@postbox.example"],
];

function emailOf(name: string, domain: string): string {
  const [first, ...rest] = name
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .split(/\s+/);
  return `${first}.${rest.join("")}@${domain}`;
}

/** Every demo requester; Rita Requester (requester@example.com) first. */
export const DEMO_REQUESTERS: DemoRequester[] = [
  ...PEOPLE.map(([id, name, domain]) => ({ id, name, email: id === "rita" ? "requester@example.com" : emailOf(name, domain) })),
  ...FREE_MAIL.map(([id, name, email]) => ({ id, name, email })),
];
