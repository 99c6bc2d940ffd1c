/* ows-setup-page.c: the page a phone opens on the device's hotspot, served by libsoup.
 * SPDX-License-Identifier: Apache-2.0
 *
 * One HTML form, no JavaScript, nothing loaded from elsewhere: the networks
 * the owner found, a hidden network's name, the password, Connect. What the
 * person submits becomes the connect-requested signal; the owner does the
 * connecting and says how it went with ows_setup_page_set_status().
 *
 * Captive-portal checks: every GET, whatever its path, is answered with the
 * page and status 200. Android asks /generate_204 and shows its sign-in
 * sheet for anything but a 204; iOS and macOS ask /hotspot-detect.html and
 * show theirs for any body other than their "Success" page. A 302 to / would
 * work too but costs the phone one more request before it shows anything.
 * The form posts to a relative /connect, so it reaches us under whatever
 * host name the phone asked for (the hotspot's DNS answers every name with
 * the device).
 *
 * The password passes through here and nowhere else: it is never logged,
 * never written back into a page, and its copies are wiped once handed over.
 */
#define G_LOG_DOMAIN "ows-setup-page"

#include "config.h"

#include <locale.h>
#include <string.h>
#include <sys/random.h>

#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "ows-server-port.h"
#include "ows-setup-page.h"

#define BODY_LIMIT 4096
#define TOKEN_BYTES 16
#define TOKEN_LIFETIME (30 * G_TIME_SPAN_MINUTE)
#define MAX_TOKENS 16
#define FORM_TYPE "application/x-www-form-urlencoded"

struct _OwsSetupPage
{
  GObject parent_instance;

  SoupServer *server;
  guint port;
  GInetAddressMask *allowed;
  GPtrArray *networks;        /* of OwsSetupPageNetwork */
  OwsSetupPageStatus status;
  char *sentence;
  GHashTable *tokens;         /* token → expiry (gint64 monotonic µs, boxed) */
  GHashTable *catalogues;     /* language → Catalogue, NULL where none could be read */
};

enum
{
  CONNECT_REQUESTED,
  VISITED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (OwsSetupPage, ows_setup_page, G_TYPE_OBJECT)

G_DEFINE_BOXED_TYPE (OwsSetupPageNetwork, ows_setup_page_network,
                     ows_setup_page_network_copy, ows_setup_page_network_free)

OwsSetupPageNetwork *
ows_setup_page_network_new (const char *ssid,
                            guint       level,
                            gboolean    secured)
{
  OwsSetupPageNetwork *network;

  g_return_val_if_fail (ssid != NULL, NULL);
  network = g_new0 (OwsSetupPageNetwork, 1);
  network->ssid = g_strdup (ssid);
  network->level = MIN (level, 4);
  network->secured = !!secured;
  return network;
}

OwsSetupPageNetwork *
ows_setup_page_network_copy (const OwsSetupPageNetwork *network)
{
  g_return_val_if_fail (network != NULL, NULL);
  return ows_setup_page_network_new (network->ssid, network->level, network->secured);
}

void
ows_setup_page_network_free (OwsSetupPageNetwork *network)
{
  if (network == NULL)
    return;
  g_free (network->ssid);
  g_free (network);
}

/* ---- the rules ---- */

/* The WPA rule, as NetworkManager's nm_utils_wpa_psk_valid() applies it in
 * ows_wifi_password_is_valid() (ows-wifi-network.c, which links libnm and so
 * is not linked here): 8 to 63 printable ASCII characters, or 64 hex digits.
 * Empty means an open network. */
static gboolean
password_is_valid (const char *password)
{
  size_t len = strlen (password);

  if (len == 64)
    {
      for (size_t i = 0; i < len; i++)
        if (!g_ascii_isxdigit (password[i]))
          return FALSE;
      return TRUE;
    }
  if (len != 0 && (len < 8 || len > 63))
    return FALSE;
  for (size_t i = 0; i < len; i++)
    if (password[i] < 0x20 || password[i] > 0x7e)
      return FALSE;
  return TRUE;
}

static gboolean
ssid_is_valid (const char *ssid)
{
  size_t len = strlen (ssid);

  return len >= 1 && len <= 32 && g_utf8_validate (ssid, len, NULL);
}

/* ---- CSRF tokens: one per page served, single-use, 30 minutes ---- */

static void
drop_expired_tokens (OwsSetupPage *self,
                     gint64        now)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->tokens);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (*(gint64 *) value <= now)
      g_hash_table_iter_remove (&iter);
}

/* The oldest goes when a 17th is asked for: a phone that reloads the page
 * many times keeps its latest forms valid. */
static void
drop_oldest_token (OwsSetupPage *self)
{
  GHashTableIter iter;
  gpointer key, value;
  gpointer oldest = NULL;
  gint64 oldest_expiry = G_MAXINT64;

  g_hash_table_iter_init (&iter, self->tokens);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (*(gint64 *) value < oldest_expiry)
      {
        oldest = key;
        oldest_expiry = *(gint64 *) value;
      }
  if (oldest != NULL)
    g_hash_table_remove (self->tokens, oldest);
}

static char *
new_token (OwsSetupPage *self)
{
  guint8 bytes[TOKEN_BYTES];
  GString *token = g_string_sized_new (TOKEN_BYTES * 2);
  gint64 now = g_get_monotonic_time ();

  if (getrandom (bytes, sizeof bytes, 0) != sizeof bytes)
    for (guint i = 0; i < sizeof bytes; i++)
      bytes[i] = g_random_int_range (0, 256);
  for (guint i = 0; i < sizeof bytes; i++)
    g_string_append_printf (token, "%02x", bytes[i]);

  drop_expired_tokens (self, now);
  while (g_hash_table_size (self->tokens) >= MAX_TOKENS)
    drop_oldest_token (self);
  g_hash_table_insert (self->tokens, g_strdup (token->str),
                       g_memdup2 (&(gint64) { now + TOKEN_LIFETIME }, sizeof (gint64)));
  return g_string_free (token, FALSE);
}

/* Takes the token: valid once. */
static gboolean
take_token (OwsSetupPage *self,
            const char   *token)
{
  drop_expired_tokens (self, g_get_monotonic_time ());
  return token != NULL && g_hash_table_remove (self->tokens, token);
}

/* ---- languages ---- */

static gboolean
has_catalogue (const char *language)
{
  const char *dir = bindtextdomain (GETTEXT_PACKAGE, NULL);
  g_autofree char *path = NULL;

  /* The messages are written in English. */
  if (strcmp (language, "en") == 0 || g_str_has_prefix (language, "en_"))
    return TRUE;
  path = g_build_filename (dir != NULL ? dir : LOCALEDIR, language, "LC_MESSAGES",
                           GETTEXT_PACKAGE ".mo", NULL);
  return g_file_test (path, G_FILE_TEST_IS_REGULAR);
}

static gboolean
is_available (const char         *language,
              const char * const *available)
{
  if (available == NULL)
    return has_catalogue (language);
  return g_strv_contains (available, language);
}

/* An Accept-Language tag (de-ch) as a catalogue is named (de_CH). */
static char *
tag_to_language (const char *tag)
{
  g_auto(GStrv) parts = g_strsplit (tag, "-", 3);
  g_autofree char *language = g_ascii_strdown (parts[0], -1);

  if (parts[1] != NULL && strlen (parts[1]) == 2)
    {
      g_autofree char *territory = g_ascii_strup (parts[1], -1);
      return g_strconcat (language, "_", territory, NULL);
    }
  return g_steal_pointer (&language);
}

typedef struct
{
  char *tag;
  double q;
  guint position;
} Range;

static int
compare_ranges (gconstpointer a,
                gconstpointer b)
{
  const Range *ra = a, *rb = b;

  if (ra->q != rb->q)
    return ra->q > rb->q ? -1 : 1;
  return (int) ra->position - (int) rb->position;
}

/* The first language of @accept_language (by q, then order) that has a
 * catalogue among @available (NULL: the installed catalogues of ours; English,
 * the messages' own language, always has one): "pt_BR", "de" or NULL for
 * none. A regional tag (de-CH) falls back to its language (de). */
char *
ows_setup_page_pick_language (const char         *accept_language,
                              const char * const *available)
{
  g_auto(GStrv) items = NULL;
  g_autoptr(GArray) ranges = g_array_new (FALSE, TRUE, sizeof (Range));
  char *picked = NULL;

  if (accept_language == NULL)
    return NULL;
  items = g_strsplit (accept_language, ",", 32);
  for (guint i = 0; items[i] != NULL; i++)
    {
      g_auto(GStrv) params = g_strsplit (items[i], ";", 4);
      Range range = { g_strstrip (params[0]), 1.0, i };

      for (guint j = 1; params[j] != NULL; j++)
        if (g_str_has_prefix (g_strstrip (params[j]), "q="))
          range.q = g_ascii_strtod (params[j] + 2, NULL);
      /* Letters and '-' only: the tag becomes a path (the catalogue's). */
      if (range.q <= 0 || *range.tag == '\0' || strcmp (range.tag, "*") == 0
          || strspn (range.tag, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-")
             != strlen (range.tag))
        continue;
      range.tag = g_strdup (range.tag);
      g_array_append_val (ranges, range);
    }
  g_array_sort (ranges, compare_ranges);

  for (guint i = 0; i < ranges->len && picked == NULL; i++)
    {
      g_autofree char *language = tag_to_language (g_array_index (ranges, Range, i).tag);
      g_autofree char *base = g_strndup (language, strcspn (language, "_"));

      if (is_available (language, available))
        picked = g_steal_pointer (&language);
      else if (is_available (base, available))
        picked = g_steal_pointer (&base);
    }
  for (guint i = 0; i < ranges->len; i++)
    g_free (g_array_index (ranges, Range, i).tag);
  return picked;
}

/* The process's language, for the lang attribute: its first language that
 * has a catalogue (gettext's own choice), else English. */
static char *
process_language (void)
{
  const char *messages = setlocale (LC_MESSAGES, NULL);
  const char * const *names = g_get_language_names ();

  if (messages == NULL || strcmp (messages, "C") == 0 || strcmp (messages, "POSIX") == 0)
    return g_strdup ("en");
  for (guint i = 0; names[i] != NULL; i++)
    {
      if (strchr (names[i], '.') != NULL || strchr (names[i], '@') != NULL)
        continue;
      if (strcmp (names[i], "C") == 0)
        break;
      if (has_catalogue (names[i]))
        return g_strdup (names[i]);
    }
  return g_strdup ("en");
}

/* One of our catalogues, read here rather than through gettext: gettext
 * follows the process's locale, and the phone's language is per request
 * (switching LANGUAGE in the environment is not thread-safe, and a locale
 * for each language is rarely installed on a device). GNU .mo format; the
 * strings point into the mapped file. */
typedef struct
{
  GMappedFile *file;
  GHashTable *strings;  /* msgid → translation */
} Catalogue;

static void
catalogue_free (gpointer data)
{
  Catalogue *catalogue = data;

  if (catalogue == NULL)
    return;
  g_hash_table_unref (catalogue->strings);
  g_mapped_file_unref (catalogue->file);
  g_free (catalogue);
}

/* The @index-th string of the table at @table, or NULL when out of bounds. */
static const char *
mo_string (const char *data,
           gsize       size,
           gboolean    swapped,
           guint32     table,
           guint32     index)
{
  guint32 entry[2];
  guint64 at = (guint64) table + (guint64) index * 8;

  if (at + 8 > size)
    return NULL;
  memcpy (entry, data + at, 8);
  if (swapped)
    {
      entry[0] = GUINT32_SWAP_LE_BE (entry[0]);
      entry[1] = GUINT32_SWAP_LE_BE (entry[1]);
    }
  if ((guint64) entry[1] + entry[0] >= size || data[entry[1] + entry[0]] != '\0')
    return NULL;
  return data + entry[1];
}

static Catalogue *
catalogue_load (const char *language)
{
  const char *dir = bindtextdomain (GETTEXT_PACKAGE, NULL);
  g_autofree char *path = g_build_filename (dir != NULL ? dir : LOCALEDIR, language,
                                            "LC_MESSAGES", GETTEXT_PACKAGE ".mo", NULL);
  g_autoptr(GMappedFile) file = g_mapped_file_new (path, FALSE, NULL);
  Catalogue *catalogue;
  const char *data;
  gsize size;
  guint32 header[5];
  gboolean swapped;

  if (file == NULL)
    return NULL;
  data = g_mapped_file_get_contents (file);
  size = g_mapped_file_get_length (file);
  if (size < sizeof header)
    return NULL;
  memcpy (header, data, sizeof header);
  swapped = header[0] == 0xde120495;
  if (header[0] != 0x950412de && !swapped)
    return NULL;
  for (guint i = 2; i < 5 && swapped; i++)
    header[i] = GUINT32_SWAP_LE_BE (header[i]);

  catalogue = g_new0 (Catalogue, 1);
  catalogue->file = g_steal_pointer (&file);
  catalogue->strings = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint32 i = 0; i < header[2]; i++)
    {
      const char *msgid = mo_string (data, size, swapped, header[3], i);
      const char *msgstr = mo_string (data, size, swapped, header[4], i);

      if (msgid != NULL && *msgid != '\0' && msgstr != NULL && *msgstr != '\0'
          && g_utf8_validate (msgstr, -1, NULL))
        g_hash_table_insert (catalogue->strings, (gpointer) msgid, (gpointer) msgstr);
    }
  return catalogue;
}

/* The language a page is written in. */
typedef struct
{
  char *tag;             /* for the lang attribute: "de", "pt-BR" */
  Catalogue *catalogue;  /* NULL: English if english, else gettext's (the process's) */
  gboolean english;
} Language;

static void
language_clear (Language *lang)
{
  g_free (lang->tag);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Language, language_clear)

static const char *
tr (const Language *lang,
    const char     *msgid)
{
  const char *translated;

  if (lang->catalogue != NULL)
    {
      translated = g_hash_table_lookup (lang->catalogue->strings, msgid);
      return translated != NULL ? translated : msgid;
    }
  return lang->english ? msgid : g_dgettext (GETTEXT_PACKAGE, msgid);
}

/* The request's first Accept-Language we have a catalogue for, else the
 * process's own. */
static void
language_for (OwsSetupPage      *self,
              SoupServerMessage *msg,
              Language          *lang)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *accept = soup_message_headers_get_list (headers, "Accept-Language");
  g_autofree char *picked = ows_setup_page_pick_language (accept, NULL);
  Catalogue *catalogue = NULL;

  if (picked != NULL && (strcmp (picked, "en") == 0 || g_str_has_prefix (picked, "en_")))
    {
      lang->tag = g_strdup (picked);
      lang->english = TRUE;
    }
  else if (picked != NULL)
    {
      if (!g_hash_table_lookup_extended (self->catalogues, picked, NULL, (gpointer *) &catalogue))
        {
          catalogue = catalogue_load (picked);
          g_hash_table_insert (self->catalogues, g_strdup (picked), catalogue);
        }
      if (catalogue != NULL)
        {
          lang->tag = g_strdup (picked);
          lang->catalogue = catalogue;
        }
    }
  if (lang->tag == NULL)
    lang->tag = process_language ();
  g_strdelimit (lang->tag, "_", '-');
}

/* ---- the page ---- */

static const char page_style[] =
  "body{margin:0;font-family:system-ui,-apple-system,'Segoe UI',Roboto,'Cantarell',sans-serif;"
  "font-size:18px;line-height:1.4;color:#1d1d1d;background:#f6f5f4}"
  "main{max-width:32em;margin:0 auto;padding:16px}"
  "h1{font-size:1.5em;margin:0 0 16px}"
  ".problem{background:#fbe4e4;border-left:4px solid #c01c28;padding:12px;margin:0 0 16px}"
  "fieldset{border:0;margin:0 0 16px;padding:0}"
  "legend,.field{font-weight:bold;margin:0 0 8px;display:block}"
  ".net{display:flex;align-items:center;min-height:56px;padding:4px 12px;margin:0 0 8px;"
  "background:#fff;border:1px solid #d0d0d0;border-radius:8px;box-sizing:border-box}"
  ".net input{width:24px;height:24px;margin:0 12px 0 0;flex:none}"
  ".name{flex:1;overflow-wrap:anywhere}"
  ".meta{color:#5e5c64;font-size:.85em;margin-left:8px;text-align:end}"
  "input[type=text],input[type=password]{width:100%;min-height:48px;font-size:1em;"
  "padding:8px;box-sizing:border-box;border:1px solid #9a9996;border-radius:8px;margin:0 0 16px}"
  "button{width:100%;min-height:56px;font-size:1.1em;font-weight:bold;color:#fff;"
  "background:#3584e4;border:0;border-radius:8px}"
  "@media (prefers-color-scheme:dark){body{color:#fff;background:#242424}"
  ".net{background:#303030;border-color:#505050}.meta{color:#c0bfbc}"
  ".problem{background:#4a2025}input{background:#303030;color:#fff}}";

static void
append_escaped (GString    *out,
                const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text, -1);
  g_autofree char *escaped = g_markup_escape_text (valid, -1);

  g_string_append (out, escaped);
}

static void
begin_page (GString        *out,
            const Language *lang,
            const char     *title)
{
  g_string_append_printf (out, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n"
                          "<meta charset=\"utf-8\">\n"
                          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                          "<title>", lang->tag);
  append_escaped (out, title);
  g_string_append_printf (out, "</title>\n<style>%s</style>\n</head>\n<body>\n<main>\n<h1>",
                          page_style);
  append_escaped (out, title);
  g_string_append (out, "</h1>\n");
}

static char *
end_page (GString *out)
{
  g_string_append (out, "</main>\n</body>\n</html>\n");
  return g_string_free (out, FALSE);
}

static const char *
signal_words (const Language *lang,
              guint           level)
{
  switch (level)
    {
    case 0: return tr (lang, N_("Very weak signal"));
    case 1: return tr (lang, N_("Weak signal"));
    case 2: return tr (lang, N_("Fair signal"));
    case 3: return tr (lang, N_("Good signal"));
    default: return tr (lang, N_("Excellent signal"));
    }
}

static void
append_radio (GString    *out,
              const char *value,
              gboolean    checked,
              const char *name,
              const char *meta)
{
  g_string_append (out, "<label class=\"net\"><input type=\"radio\" name=\"network\" value=\"");
  append_escaped (out, value);
  g_string_append_printf (out, "\"%s><span class=\"name\">", checked ? " checked" : "");
  append_escaped (out, name);
  g_string_append (out, "</span>");
  if (meta != NULL)
    {
      g_string_append (out, "<span class=\"meta\">");
      append_escaped (out, meta);
      g_string_append (out, "</span>");
    }
  g_string_append (out, "</label>\n");
}

/* The form; @problem: what was wrong, above it; @chosen, @hidden_ssid: what
 * the person had picked and typed, kept. The password is never written back. */
static char *
render_form (OwsSetupPage   *self,
             const Language *lang,
             const char     *problem,
             const char     *chosen,
             const char     *hidden_ssid)
{
  GString *out = g_string_sized_new (8192);
  g_autofree char *token = new_token (self);

  begin_page (out, lang, tr (lang, N_("Connect This Device to Wi-Fi")));
  if (problem != NULL)
    {
      g_string_append (out, "<p class=\"problem\" role=\"alert\">");
      append_escaped (out, problem);
      g_string_append (out, "</p>\n");
    }
  g_string_append_printf (out, "<form method=\"post\" action=\"/connect\" autocomplete=\"off\">\n"
                          "<input type=\"hidden\" name=\"csrf\" value=\"%s\">\n"
                          "<fieldset>\n<legend>", token);
  append_escaped (out, tr (lang, N_("Network")));
  g_string_append (out, "</legend>\n");
  if (self->networks->len == 0)
    {
      g_string_append (out, "<p>");
      append_escaped (out, tr (lang, N_("No networks were found.")));
      g_string_append (out, "</p>\n");
    }
  for (guint i = 0; i < self->networks->len; i++)
    {
      OwsSetupPageNetwork *network = g_ptr_array_index (self->networks, i);
      /* TRANSLATORS: a network's signal and lock, e.g. "Good signal · secured" */
      g_autofree char *meta = g_strdup_printf (tr (lang, N_("%s · %s")),
                                               signal_words (lang, network->level),
                                               network->secured ? tr (lang, N_("secured"))
                                                                : tr (lang, N_("open")));

      append_radio (out, network->ssid, g_strcmp0 (chosen, network->ssid) == 0,
                    network->ssid, meta);
    }
  append_radio (out, OWS_SETUP_PAGE_HIDDEN_MARKER,
                g_strcmp0 (chosen, OWS_SETUP_PAGE_HIDDEN_MARKER) == 0,
                tr (lang, N_("Hidden network")), NULL);
  g_string_append (out, "<label class=\"field\" for=\"hidden_ssid\">");
  append_escaped (out, tr (lang, N_("Name of the hidden network")));
  g_string_append (out, "</label>\n<input type=\"text\" id=\"hidden_ssid\" name=\"hidden_ssid\" "
                   "maxlength=\"32\" autocapitalize=\"none\" autocorrect=\"off\" "
                   "spellcheck=\"false\" value=\"");
  append_escaped (out, hidden_ssid != NULL ? hidden_ssid : "");
  g_string_append (out, "\">\n</fieldset>\n<label class=\"field\" for=\"password\">");
  append_escaped (out, tr (lang, N_("Password")));
  g_string_append (out, "</label>\n<input type=\"password\" id=\"password\" name=\"password\" "
                   "autocomplete=\"off\" maxlength=\"64\">\n<button type=\"submit\">");
  append_escaped (out, tr (lang, N_("Connect")));
  g_string_append (out, "</button>\n</form>\n");
  return end_page (out);
}

static char *
render_connecting (const Language *lang)
{
  GString *out = g_string_sized_new (4096);

  begin_page (out, lang, tr (lang, N_("Connecting…")));
  g_string_append (out, "<p>");
  append_escaped (out, tr (lang, N_("Your phone will lose this network: the device is now joining yours. "
                         "If it cannot, this network comes back; join it again to see why.")));
  g_string_append (out, "</p>\n");
  return end_page (out);
}

static char *
render_refused (const Language *lang,
                const char     *title,
                const char     *sentence)
{
  GString *out = g_string_sized_new (4096);

  begin_page (out, lang, title);
  g_string_append (out, "<p>");
  append_escaped (out, sentence);
  g_string_append (out, "</p>\n");
  return end_page (out);
}

/* The page for the status the owner set. */
static char *
render_status (OwsSetupPage   *self,
               const Language *lang)
{
  if (self->status == OWS_SETUP_PAGE_STATUS_CONNECTING)
    return render_connecting (lang);
  return render_form (self, lang, self->status == OWS_SETUP_PAGE_STATUS_FAILED ? self->sentence : NULL,
                      NULL, NULL);
}

/* ---- HTTP ---- */

static void
respond (SoupServerMessage *msg,
         guint              status,
         char              *page)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  soup_message_headers_replace (headers, "X-Frame-Options", "DENY");
  soup_message_headers_replace (headers, "X-Content-Type-Options", "nosniff");
  soup_message_headers_replace (headers, "Referrer-Policy", "no-referrer");
  soup_message_headers_replace (headers, "Content-Security-Policy",
                                "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'");
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "text/html; charset=utf-8", SOUP_MEMORY_TAKE,
                                    page, strlen (page));
}

static gboolean
peer_is_allowed (OwsSetupPage      *self,
                 SoupServerMessage *msg)
{
  GSocketAddress *remote = soup_server_message_get_remote_address (msg);
  GInetAddress *address;
  g_autoptr(GInetAddress) ipv4 = NULL;
  const guint8 *bytes;

  if (self->allowed == NULL || !G_IS_INET_SOCKET_ADDRESS (remote))
    return FALSE;
  address = g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (remote));
  /* On a dual-stack socket an IPv4 peer is ::ffff:a.b.c.d; the hotspot's
   * subnet is IPv4. */
  bytes = g_inet_address_to_bytes (address);
  if (g_inet_address_get_family (address) == G_SOCKET_FAMILY_IPV6
      && memcmp (bytes, "\0\0\0\0\0\0\0\0\0\0\xff\xff", 12) == 0)
    address = ipv4 = g_inet_address_new_from_bytes (bytes + 12, G_SOCKET_FAMILY_IPV4);
  return g_inet_address_mask_matches (self->allowed, address);
}

static void
refuse (SoupServerMessage *msg,
        const Language    *lang,
        guint              status,
        const char        *title,
        const char        *sentence)
{
  respond (msg, status, render_refused (lang, title, sentence));
}

/* Called once the headers are in, before any body is read: what can be
 * refused from the headers alone is, so that a refused body is never read
 * into memory. A status set here is the answer; the handler is not called. */
static void
early_handler (SoupServer        *server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  OwsSetupPage *self = user_data;
  const char *method = soup_server_message_get_method (msg);
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  g_auto(Language) lang = { 0 };
  const char *type;

  language_for (self, msg, &lang);
  if (!peer_is_allowed (self, msg))
    {
      g_debug ("refused a request from outside the allowed subnet");
      refuse (msg, &lang, SOUP_STATUS_FORBIDDEN, tr (&lang, N_("Not Allowed")),
              tr (&lang, N_("This page is only for the device's own network.")));
      return;
    }
  if (method != SOUP_METHOD_GET && method != SOUP_METHOD_HEAD
      && (method != SOUP_METHOD_POST || strcmp (path, "/connect") != 0))
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Allow", strcmp (path, "/connect") == 0
                                             ? "GET, HEAD, POST" : "GET, HEAD");
      refuse (msg, &lang, SOUP_STATUS_METHOD_NOT_ALLOWED, tr (&lang, N_("Not Allowed")),
              tr (&lang, N_("This page cannot do that.")));
      return;
    }
  if (method != SOUP_METHOD_POST)
    return;
  /* A body of unknown length (chunked) would be read whole before the
   * handler could measure it: browsers always send a length with a form. */
  if (soup_message_headers_get_encoding (headers) != SOUP_ENCODING_CONTENT_LENGTH)
    refuse (msg, &lang, SOUP_STATUS_LENGTH_REQUIRED, tr (&lang, N_("Not Allowed")),
            tr (&lang, N_("This page cannot do that.")));
  else if (soup_message_headers_get_content_length (headers) > BODY_LIMIT)
    refuse (msg, &lang, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, tr (&lang, N_("Too Long")),
            tr (&lang, N_("What was sent is too long. Try again.")));
  else if ((type = soup_message_headers_get_content_type (headers, NULL)) == NULL
           || g_ascii_strcasecmp (type, FORM_TYPE) != 0)
    refuse (msg, &lang, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE, tr (&lang, N_("Not Allowed")),
            tr (&lang, N_("This page cannot do that.")));
}

static OwsSetupPageNetwork *
find_network (OwsSetupPage *self,
              const char   *ssid)
{
  for (guint i = 0; i < self->networks->len; i++)
    {
      OwsSetupPageNetwork *network = g_ptr_array_index (self->networks, i);

      if (strcmp (network->ssid, ssid) == 0)
        return network;
    }
  return NULL;
}

/* What is wrong with the form, or NULL; @ssid, @hidden: what to join. */
static const char *
check_form (OwsSetupPage    *self,
            const Language  *lang,
            GHashTable      *form,
            const char     **ssid,
            gboolean        *hidden,
            const char     **password)
{
  const char *network = g_hash_table_lookup (form, "network");
  OwsSetupPageNetwork *listed;

  *password = g_hash_table_lookup (form, "password");
  if (*password == NULL)
    *password = "";
  if (network == NULL)
    return tr (lang, N_("Choose a network."));
  *hidden = strcmp (network, OWS_SETUP_PAGE_HIDDEN_MARKER) == 0;
  if (*hidden)
    {
      *ssid = g_hash_table_lookup (form, "hidden_ssid");
      if (*ssid == NULL || !ssid_is_valid (*ssid))
        return tr (lang, N_("Type the name of the hidden network (1 to 32 bytes)."));
      if (!password_is_valid (*password))
        return tr (lang, N_("The password must be 8 to 63 characters, or 64 hexadecimal digits."));
      return NULL;
    }
  listed = find_network (self, network);
  if (listed == NULL)
    return tr (lang, N_("That network is no longer in the list. Choose another."));
  *ssid = listed->ssid;
  if (!listed->secured)
    *password = "";
  else if (**password == '\0')
    return tr (lang, N_("This network needs a password."));
  else if (!password_is_valid (*password))
    return tr (lang, N_("The password must be 8 to 63 characters, or 64 hexadecimal digits."));
  return NULL;
}

static void
wipe_value (gpointer key,
            gpointer value,
            gpointer user_data)
{
  explicit_bzero (value, strlen (value));
}

static void
handle_connect (OwsSetupPage      *self,
                SoupServerMessage *msg)
{
  SoupMessageBody *request = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (request);
  gsize size = 0;
  const char *data = g_bytes_get_data (bytes, &size);
  g_autofree char *body = g_strndup (data != NULL ? data : "", size);
  g_autoptr(GHashTable) form = soup_form_decode (body);
  const char *ssid = NULL, *password = NULL, *problem;
  gboolean hidden = FALSE;
  g_auto(Language) lang = { 0 };

  explicit_bzero (body, size);
  language_for (self, msg, &lang);
  if (size > BODY_LIMIT)
    {
      refuse (msg, &lang, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, tr (&lang, N_("Too Long")),
              tr (&lang, N_("What was sent is too long. Try again.")));
    }
  else if (!take_token (self, g_hash_table_lookup (form, "csrf")))
    {
      g_debug ("refused a form without a valid token");
      refuse (msg, &lang, SOUP_STATUS_FORBIDDEN, tr (&lang, N_("Page Expired")),
              tr (&lang, N_("This page is out of date. Open it again and retry.")));
    }
  else if (self->status == OWS_SETUP_PAGE_STATUS_CONNECTING)
    {
      respond (msg, SOUP_STATUS_OK, render_connecting (&lang));
    }
  else if ((problem = check_form (self, &lang, form, &ssid, &hidden, &password)) != NULL)
    {
      g_debug ("the form was refused: %s", problem);
      respond (msg, SOUP_STATUS_OK,
               render_form (self, &lang, problem, g_hash_table_lookup (form, "network"),
                            g_hash_table_lookup (form, "hidden_ssid")));
    }
  else
    {
      g_autoptr(OwsSetupPage) hold = g_object_ref (self);  /* the owner may drop us */

      g_debug ("connect requested (%s network)", hidden ? "hidden" : "listed");
      respond (msg, SOUP_STATUS_OK, render_connecting (&lang));
      g_signal_emit (self, signals[CONNECT_REQUESTED], 0, ssid, hidden, password);
    }
  g_hash_table_foreach (form, wipe_value, NULL);
}

static void
handler (SoupServer        *server,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  OwsSetupPage *self = user_data;
  g_auto(Language) lang = { 0 };

  /* The early handler refused all it could; these are the requests it let in. */
  if (soup_server_message_get_method (msg) == SOUP_METHOD_POST)
    {
      handle_connect (self, msg);
      return;
    }
  language_for (self, msg, &lang);
  respond (msg, SOUP_STATUS_OK, render_status (self, &lang));
  g_signal_emit (self, signals[VISITED], 0);
}

/* ---- the object ---- */

static void
ows_setup_page_dispose (GObject *object)
{
  OwsSetupPage *self = OWS_SETUP_PAGE (object);

  ows_setup_page_stop (self);
  g_clear_object (&self->allowed);
  G_OBJECT_CLASS (ows_setup_page_parent_class)->dispose (object);
}

static void
ows_setup_page_finalize (GObject *object)
{
  OwsSetupPage *self = OWS_SETUP_PAGE (object);

  g_clear_pointer (&self->networks, g_ptr_array_unref);
  g_clear_pointer (&self->tokens, g_hash_table_unref);
  g_clear_pointer (&self->catalogues, g_hash_table_unref);
  g_clear_pointer (&self->sentence, g_free);
  G_OBJECT_CLASS (ows_setup_page_parent_class)->finalize (object);
}

static void
ows_setup_page_class_init (OwsSetupPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ows_setup_page_dispose;
  object_class->finalize = ows_setup_page_finalize;

  /**
   * OwsSetupPage::connect-requested:
   * @ssid: the network to join
   * @hidden: whether it was typed as a hidden network
   * @password: its password, "" for an open network; wiped after the signal,
   *   so a handler copies it if it keeps it
   *
   * The person submitted a valid form. The owner answers with
   * ows_setup_page_set_status().
   */
  signals[CONNECT_REQUESTED] =
    g_signal_new ("connect-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 3,
                  G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE, G_TYPE_BOOLEAN,
                  G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);

  /**
   * OwsSetupPage::visited:
   *
   * A phone on the hotspot loaded the page (its own captive-portal check
   * included): someone joined, so reminders can stop.
   */
  signals[VISITED] =
    g_signal_new ("visited", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
ows_setup_page_init (OwsSetupPage *self)
{
  self->networks = g_ptr_array_new_with_free_func ((GDestroyNotify) ows_setup_page_network_free);
  self->tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->catalogues = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, catalogue_free);
  self->status = OWS_SETUP_PAGE_STATUS_CHOOSING;
}

OwsSetupPage *
ows_setup_page_new (void)
{
  return g_object_new (OWS_TYPE_SETUP_PAGE, NULL);
}

gboolean
ows_setup_page_listen (OwsSetupPage  *self,
                       GInetAddress  *address,
                       guint          port,
                       GError       **error)
{
  g_autoptr(GSocketAddress) socket_address = NULL;
  g_autoptr(SoupServer) server = NULL;

  g_return_val_if_fail (OWS_IS_SETUP_PAGE (self), FALSE);
  g_return_val_if_fail (G_IS_INET_ADDRESS (address), FALSE);
  g_return_val_if_fail (port <= G_MAXUINT16, FALSE);
  g_return_val_if_fail (self->server == NULL, FALSE);

  server = soup_server_new ("server-header", NULL, NULL);
  soup_server_add_early_handler (server, NULL, early_handler, self, NULL);
  soup_server_add_handler (server, NULL, handler, self, NULL);
  socket_address = g_inet_socket_address_new (address, port);
  if (!soup_server_listen (server, socket_address, 0, error))
    return FALSE;

  self->port = ows_server_port (server);
  self->server = g_steal_pointer (&server);
  g_debug ("serving the page on port %u", self->port);
  return TRUE;
}

guint
ows_setup_page_get_port (OwsSetupPage *self)
{
  g_return_val_if_fail (OWS_IS_SETUP_PAGE (self), 0);
  return self->port;
}

void
ows_setup_page_stop (OwsSetupPage *self)
{
  g_return_if_fail (OWS_IS_SETUP_PAGE (self));

  if (self->server == NULL)
    return;
  soup_server_disconnect (self->server);
  g_clear_object (&self->server);
  g_hash_table_remove_all (self->tokens);
  self->port = 0;
}

/* @mask: the peers served (the hotspot's subnet); NULL: nobody. */
void
ows_setup_page_set_allowed_subnet (OwsSetupPage     *self,
                                   GInetAddressMask *mask)
{
  g_return_if_fail (OWS_IS_SETUP_PAGE (self));
  g_return_if_fail (mask == NULL || G_IS_INET_ADDRESS_MASK (mask));

  g_set_object (&self->allowed, mask);
}

/* @networks: of OwsSetupPageNetwork, listed in this order; copied. */
void
ows_setup_page_set_networks (OwsSetupPage *self,
                             GPtrArray    *networks)
{
  g_return_if_fail (OWS_IS_SETUP_PAGE (self));

  g_ptr_array_set_size (self->networks, 0);
  for (guint i = 0; networks != NULL && i < networks->len; i++)
    g_ptr_array_add (self->networks, ows_setup_page_network_copy (g_ptr_array_index (networks, i)));
}

/* @sentence: plain text, shown above the form when @status is FAILED. */
void
ows_setup_page_set_status (OwsSetupPage       *self,
                           OwsSetupPageStatus  status,
                           const char         *sentence)
{
  g_return_if_fail (OWS_IS_SETUP_PAGE (self));
  g_return_if_fail (status <= OWS_SETUP_PAGE_STATUS_FAILED);

  self->status = status;
  g_free (self->sentence);
  self->sentence = g_strdup (sentence);
}
