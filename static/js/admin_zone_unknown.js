// A back-office page whose workshop (or, for a new workshop, its zone) is chosen on the page:
// the admin's own note "Enter times in the … timezone" would name the server's zone, which
// the times typed here are not read in. The page says in words where the zone comes from.
// Without the server's offset the admin adds no note (admin/js/admin/DateTimeShortcuts.js,
// which reads it on "load", after this deferred script has run).
document.body.removeAttribute("data-admin-utc-offset");
document.body.removeAttribute("data-admin-server-timezone");
