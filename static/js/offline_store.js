// What a page keeps in this browser until the server has it: its offline queue, one record per
// key, {entry: {value, revision}} for the autosaves (static/js/worksheet.js). A key names one
// person's thing ("worksheet-<worksheet id>", "notes-<session id>-<group id>", "summary-<session id>-<group
// id>", and the roster's queued marks "attendance-<session id>-<group id>"), so that signing
// out clears exactly that person's (worksheets/selectors.py `kept_text_keys` lists them for
// static/js/signed_out.js), and the sign-out button asks first while some are unsent
// (static/js/sign_out.js, through `unsent()`). A new queue: add its prefix to QUEUES and its keys
// to `kept_text_keys`.
//   offlineStore.read(key) -> {} when absent or unreadable     offlineStore.write(key, record)
//   offlineStore.remove(key)     offlineStore.unsent() -> true while any queue holds an entry
(function () {
  "use strict";
  if (window.offlineStore) return;  // loaded by more than one include of a page
  const QUEUES = ["worksheet-", "notes-", "summary-", "attendance-"];

  function read(key) {
    try {
      const record = JSON.parse(localStorage.getItem(key));
      return record && typeof record === "object" ? record : {};
    } catch (e) { return {}; }
  }
  function write(key, record) {
    try { localStorage.setItem(key, JSON.stringify(record)); } catch (e) { /* storage full or off */ }
  }
  function remove(key) {
    try { localStorage.removeItem(key); } catch (e) { /* storage off */ }
  }
  function isQueue(key) {
    return QUEUES.some(function (prefix) { return key.indexOf(prefix) === 0; });
  }
  function unsent() {
    try {
      for (let i = 0; i < localStorage.length; i++) {
        const key = localStorage.key(i);
        if (isQueue(key) && Object.keys(read(key)).length > 0) return true;
      }
    } catch (e) { /* storage off: nothing kept */ }
    return false;
  }
  window.offlineStore = { QUEUES: QUEUES, read: read, write: write, remove: remove, isQueue: isQueue, unsent: unsent };
})();
