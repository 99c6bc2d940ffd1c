/* ows-config.c: OVOS's layered mycroft.conf, read and patched (PROTOCOL.md section 6).
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "ows-config"

#include "config.h"

#include "ows-config.h"
#include "ows-json-text.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#define DEFAULT_MAX_MSG_MIB 25
#define MIB                 (1024 * 1024)

/* Section 1 and 4 values: what OVOS ships when no file says otherwise. */
static const char defaults_json[] =
  "{"
  "  \"websocket\": {"
  "    \"host\": \"127.0.0.1\","
  "    \"port\": 8181,"
  "    \"route\": \"/core\","
  "    \"ssl\": false,"
  "    \"max_msg_size\": 25"
  "  },"
  "  \"network_tests\": {"
  "    \"captive_portal_url\": \"http://nmcheck.gnome.org/check_network_status.txt\","
  "    \"captive_portal_text\": \"NetworkManager is online\","
  "    \"web_url\": \"https://www.google.com\","
  "    \"web_url_secondary\": \"https://www.cloudflare.com\""
  "  },"
  "  \"PHAL\": {"
  "    \"ovos-PHAL-plugin-wifi-setup\": {"
  "      \"first_boot\": true,"
  "      \"enable_watchdog\": true,"
  "      \"grace_period\": 45,"
  "      \"time_between_checks\": 30"
  "    }"
  "  }"
  "}";

struct _OwsConfig
{
  GObject     parent_instance;

  JsonNode   *root;       /* the merged view the getters read */
  GPtrArray  *pending;    /* PendingValue: persisted, not yet in the user file */
  JsonObject *overrides;  /* command-line values */
  char       *user_path;
  char       *host_root;  /* where a sandbox sees the host's files; NULL outside one */
};

/* A path and its value rather than a tree: an object value must replace
 * what the file holds, not merge into it as a section would. */
typedef struct
{
  char     *section;  /* normalised: no empty parts */
  char     *key;
  JsonNode *value;
} PendingValue;

G_DEFINE_TYPE (OwsConfig, ows_config, G_TYPE_OBJECT)

/* In seconds since the epoch: when this process started, as far as it can
 * tell without /proc. */
static gint64 class_init_time;

G_DEFINE_QUARK (ows-config-error-quark, ows_config_error)

/* Inside a Flatpak the host's /etc is visible only under /run/host
 * (--filesystem=host-etc), and its config home only where
 * HOST_XDG_CONFIG_HOME says (--filesystem=xdg-config/mycroft): the
 * sandbox's own XDG_CONFIG_HOME is a private directory OVOS never reads. */
static char *
detect_host_root (void)
{
  g_autoptr(GKeyFile) info = g_key_file_new ();

  if (!g_key_file_load_from_file (info, "/.flatpak-info", G_KEY_FILE_NONE, NULL))
    return NULL;
  /* flatpak-builder's sandbox (its run-tests too) has no host to reach. */
  if (g_key_file_get_boolean (info, "Instance", "build", NULL))
    return NULL;
  return g_strdup ("/run/host");
}

static char *
dup_host_path (OwsConfig  *self,
               const char *path)
{
  if (self->host_root != NULL)
    return g_build_filename (self->host_root, path, NULL);
  return g_strdup (path);
}

static char *
dup_env_or_host_path (OwsConfig  *self,
                      const char *variable,
                      const char *fallback)
{
  const char *value = g_getenv (variable);

  if (value != NULL && *value != '\0')
    return g_strdup (value);
  return dup_host_path (self, fallback);
}

/* Not g_get_user_config_dir (): GLib caches it for the whole process, and a
 * reload must see the environment as it is now. The XDG spec says relative
 * values are invalid and must be ignored. */
static char *
dup_config_home (OwsConfig *self)
{
  const char *home = g_getenv (self->host_root != NULL ? "HOST_XDG_CONFIG_HOME" : "XDG_CONFIG_HOME");

  if (home != NULL && g_path_is_absolute (home))
    return g_strdup (home);
  return g_build_filename (g_get_home_dir (), ".config", NULL);
}

static char *
dup_user_path (OwsConfig *self)
{
  g_autofree char *config_home = dup_config_home (self);

  return g_build_filename (config_home, "mycroft", "mycroft.conf", NULL);
}

/* Blank rather than remove the lines OVOS treats as comments, so json-glib's
 * line and column numbers still point into the file the user edits. */
static void
blank_comment_lines (char *data)
{
  char *line = data;

  while (*line != '\0')
    {
      char *text = line + strspn (line, " \t\r\f\v");
      char *end = strchr (text, '\n');

      if (end == NULL)
        end = text + strlen (text);
      /* The whole line, as OVOS drops it: its leading blanks too. */
      if (g_str_has_prefix (text, "//") || *text == '#')
        memset (line, ' ', end - line);
      line = *end == '\n' ? end + 1 : end;
    }
}

static gboolean
is_blank (const char *data)
{
  return data[strspn (data, " \t\r\n\f\v")] == '\0';
}

/* Returns the top-level object of @data, or NULL with a message that starts
 * with the line json-glib stopped at. */
static JsonObject *
parse_object (char        *data,
              gsize        length,
              GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;

  blank_comment_lines (data);
  /* An empty or all-comment file says nothing; it is not broken. */
  if (is_blank (data))
    return json_object_new ();

  if (!json_parser_load_from_data (parser, data, length, &local_error))
    {
      unsigned line = 0;
      int offset = 0;

      /* json-glib prefixes "<data>:LINE:COLUMN: " since it never saw a file name. */
      if (sscanf (local_error->message, "<data>:%u:%*u: %n", &line, &offset) == 1 && offset > 0)
        g_set_error (error, OWS_CONFIG_ERROR, OWS_CONFIG_ERROR_USER_FILE_CORRUPT,
                     "line %u: %s", line, local_error->message + offset);
      else
        g_set_error_literal (error, OWS_CONFIG_ERROR, OWS_CONFIG_ERROR_USER_FILE_CORRUPT,
                             local_error->message);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, OWS_CONFIG_ERROR, OWS_CONFIG_ERROR_USER_FILE_CORRUPT,
                           "the top level is not a JSON object");
      return NULL;
    }
  return json_object_ref (json_node_get_object (root));
}

/* A missing file is the normal case for most layers; anything else is
 * configuration the user meant to apply, so it deserves a warning. */
static JsonObject *
read_layer (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  JsonObject *object;
  gsize length;

  if (!g_file_get_contents (path, &data, &length, &error))
    {
      if (g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT)
          || g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOTDIR))
        g_debug ("No %s", path);
      else
        g_warning ("Ignoring %s: %s", path, error->message);
      return NULL;
    }

  object = parse_object (data, length, &error);
  if (object == NULL)
    g_warning ("Ignoring %s: %s", path, error->message);
  else
    g_debug ("Read %s", path);
  return object;
}

static JsonNode *deep_copy (JsonNode *node);

/* OVOS's merge_dict: objects merge key by key, anything else replaces. */
static void
merge_object (JsonObject *dest,
              JsonObject *src)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  json_object_iter_init (&iter, src);
  while (json_object_iter_next (&iter, &name, &node))
    {
      JsonNode *target = json_object_get_member (dest, name);

      if (JSON_NODE_HOLDS_OBJECT (node) && target != NULL && JSON_NODE_HOLDS_OBJECT (target))
        merge_object (json_node_get_object (target), json_node_get_object (node));
      else
        json_object_set_member (dest, name, deep_copy (node));
    }
}

/* json_node_copy () shares objects; a later merge into the copy would then
 * write into the layer (or the caller's value) it came from. */
static JsonNode *
deep_copy (JsonNode *node)
{
  g_autoptr(JsonObject) object = NULL;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return json_node_copy (node);

  object = json_object_new ();
  merge_object (object, json_node_get_object (node));
  return json_node_init_object (json_node_alloc (), object);
}

static JsonObject *
new_defaults (void)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, defaults_json, -1, &error);
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static char **
split_section (const char *section)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) parts = g_strsplit (section != NULL ? section : "", "/", -1);

  /* Tolerate "/websocket" and "PHAL//x" as the same paths without the extra slashes. */
  for (guint i = 0; parts[i] != NULL; i++)
    if (*parts[i] != '\0')
      g_strv_builder_add (builder, parts[i]);
  return g_strv_builder_end (builder);
}

/* Returns @tree's object at @section, creating it (and replacing any
 * non-object in the way) as OVOS's update_mycroft_config does. */
static JsonObject *
ensure_section (JsonObject *tree,
                const char *section)
{
  g_auto(GStrv) parts = split_section (section);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      JsonNode *child = json_object_get_member (tree, parts[i]);

      if (child == NULL || !JSON_NODE_HOLDS_OBJECT (child))
        {
          g_autoptr(JsonObject) object = json_object_new ();

          json_object_set_object_member (tree, parts[i], json_object_ref (object));
          tree = object;
        }
      else
        tree = json_node_get_object (child);
    }
  return tree;
}

static void
set_path (JsonObject *tree,
          const char *section,
          const char *key,
          JsonNode   *value)
{
  json_object_set_member (ensure_section (tree, section), key, deep_copy (value));
}

/* Walks @node along @parts and then @key (when not NULL). */
static JsonNode *
find_node (JsonNode    *node,
           char       **parts,
           const char  *key)
{
  for (guint i = 0; node != NULL && parts[i] != NULL; i++)
    node = JSON_NODE_HOLDS_OBJECT (node)
           ? json_object_get_member (json_node_get_object (node), parts[i])
           : NULL;

  if (node == NULL || key == NULL)
    return node;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return json_object_get_member (json_node_get_object (node), key);
}

/* Whether @tree, merged over the root, would decide the value at the path:
 * it holds the key itself or a non-object where the path needs an object. */
static gboolean
path_shadowed (JsonObject *tree,
               const char *section,
               const char *key)
{
  g_auto(GStrv) parts = split_section (section);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      JsonNode *child = json_object_get_member (tree, parts[i]);

      if (child == NULL)
        return FALSE;
      if (!JSON_NODE_HOLDS_OBJECT (child))
        return TRUE;
      tree = json_node_get_object (child);
    }
  return json_object_has_member (tree, key);
}

static void
merge_layer (JsonObject *dest,
             const char *path)
{
  g_autoptr(JsonObject) layer = read_layer (path);

  if (layer != NULL)
    merge_object (dest, layer);
}

static gboolean
get_layer_boolean (JsonObject *layer,
                   const char *section,
                   const char *key,
                   gboolean   *value)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), layer);
  g_auto(GStrv) parts = split_section (section);
  JsonNode *member = find_node (node, parts, key);

  if (member == NULL || json_node_get_value_type (member) != G_TYPE_BOOLEAN)
    return FALSE;
  *value = json_node_get_boolean (member);
  return TRUE;
}

/* OVOS reads its system constraints from the distribution and system files
 * only: remote settings must not be able to lock the user out. */
static gboolean
user_config_disabled (JsonObject *distribution,
                      JsonObject *system)
{
  gboolean disabled = FALSE;

  if (system == NULL || !get_layer_boolean (system, "system", "disable_user_config", &disabled))
    if (distribution != NULL)
      get_layer_boolean (distribution, "system", "disable_user_config", &disabled);
  return disabled;
}

static void
merge_config_dirs (OwsConfig  *self,
                   JsonObject *dest)
{
  /* A sandbox's XDG_CONFIG_DIRS names its runtime's directories; OVOS reads the host's. */
  const char *value = self->host_root == NULL ? g_getenv ("XDG_CONFIG_DIRS") : NULL;
  g_auto(GStrv) dirs = g_strsplit (value != NULL && *value != '\0' ? value : "/etc/xdg",
                                   G_SEARCHPATH_SEPARATOR_S, -1);

  /* OVOS merges the last entry first, so the first one wins. */
  for (guint i = g_strv_length (dirs); i > 0; i--)
    {
      g_autofree char *dir = NULL;
      g_autofree char *path = NULL;

      if (!g_path_is_absolute (dirs[i - 1]))
        continue;
      dir = dup_host_path (self, dirs[i - 1]);
      path = g_build_filename (dir, "mycroft", "mycroft.conf", NULL);
      merge_layer (dest, path);
    }
}

static JsonObject *
read_files (OwsConfig *self)
{
  g_autoptr(JsonObject) merged = new_defaults ();
  g_autofree char *config_home = dup_config_home (self);
  g_autofree char *cache_path = g_build_filename (config_home, "mycroft", "web_cache.json", NULL);
  g_autofree char *distribution_path = dup_env_or_host_path (self, "OVOS_DISTRIBUTION_CONFIG",
                                                             "/usr/share/mycroft/mycroft.conf");
  g_autofree char *system_path = dup_env_or_host_path (self, "MYCROFT_SYSTEM_CONFIG",
                                                       "/etc/mycroft/mycroft.conf");
  g_autoptr(JsonObject) cache = read_layer (cache_path);
  g_autoptr(JsonObject) distribution = read_layer (distribution_path);
  g_autoptr(JsonObject) system = read_layer (system_path);

  if (cache != NULL)
    {
      /* The backend's idea of the bus address is not this device's. */
      if (json_object_has_member (cache, "websocket"))
        json_object_remove_member (cache, "websocket");
      merge_object (merged, cache);
    }
  if (distribution != NULL)
    merge_object (merged, distribution);
  if (system != NULL)
    merge_object (merged, system);

  if (user_config_disabled (distribution, system))
    {
      g_debug ("User configuration disabled by the system configuration");
      return g_steal_pointer (&merged);
    }

  merge_layer (merged, self->user_path);
  merge_config_dirs (self, merged);
  return g_steal_pointer (&merged);
}

static void
pending_value_free (gpointer data)
{
  PendingValue *pending = data;

  g_free (pending->section);
  g_free (pending->key);
  json_node_unref (pending->value);
  g_free (pending);
}

/* The latest value of a path goes last, so that replaying the list in order
 * gives what the persists gave in memory, overlapping paths included. */
static void
add_pending (GPtrArray  *list,
             const char *section,
             const char *key,
             JsonNode   *value)
{
  g_auto(GStrv) parts = split_section (section);
  g_autofree char *normalised = g_strjoinv ("/", parts);
  PendingValue *pending;

  for (guint i = 0; i < list->len; i++)
    {
      PendingValue *old = g_ptr_array_index (list, i);

      if (g_str_equal (old->section, normalised) && g_str_equal (old->key, key))
        {
          g_ptr_array_remove_index (list, i);
          break;
        }
    }

  pending = g_new0 (PendingValue, 1);
  pending->section = g_steal_pointer (&normalised);
  pending->key = g_strdup (key);
  pending->value = deep_copy (value);
  g_ptr_array_add (list, pending);
}

/* Sets every pending value in @tree; @changed (when not NULL) says whether
 * any of them differed from what @tree held. */
static void
apply_pending (JsonObject *tree,
               GPtrArray  *list,
               gboolean   *changed)
{
  g_autoptr(JsonNode) root = json_node_init_object (json_node_alloc (), tree);

  for (guint i = 0; i < list->len; i++)
    {
      PendingValue *pending = g_ptr_array_index (list, i);
      g_auto(GStrv) parts = split_section (pending->section);
      JsonNode *current = find_node (root, parts, pending->key);

      if (current != NULL && json_node_equal (current, pending->value))
        continue;
      set_path (tree, pending->section, pending->key, pending->value);
      if (changed != NULL)
        *changed = TRUE;
    }
}

static void
ows_config_finalize (GObject *object)
{
  OwsConfig *self = (OwsConfig *)object;

  g_clear_pointer (&self->root, json_node_unref);
  g_clear_pointer (&self->pending, g_ptr_array_unref);
  g_clear_pointer (&self->overrides, json_object_unref);
  g_clear_pointer (&self->user_path, g_free);
  g_clear_pointer (&self->host_root, g_free);

  G_OBJECT_CLASS (ows_config_parent_class)->finalize (object);
}

static void
ows_config_class_init (OwsConfigClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ows_config_finalize;
  class_init_time = g_get_real_time () / G_USEC_PER_SEC;
}

static void
ows_config_init (OwsConfig *self)
{
  g_autoptr(JsonObject) defaults = new_defaults ();

  self->root = json_node_init_object (json_node_alloc (), defaults);
  self->pending = g_ptr_array_new_with_free_func (pending_value_free);
  self->overrides = json_object_new ();
  self->host_root = detect_host_root ();
  self->user_path = dup_user_path (self);
}

/**
 * ows_config_new:
 *
 * Returns: (transfer full): a configuration holding the built-in defaults;
 *   no file is read until ows_config_load().
 */
OwsConfig *
ows_config_new (void)
{
  return g_object_new (OWS_TYPE_CONFIG, NULL);
}

/**
 * ows_config_new_sandboxed:
 * @host_root: where the host's file system appears
 *
 * As ows_config_new() inside a sandbox that shows the host's files under
 * @host_root (Flatpak's /run/host, which ows_config_new() detects itself).
 *
 * Returns: (transfer full): a configuration holding the built-in defaults
 */
OwsConfig *
ows_config_new_sandboxed (const char *host_root)
{
  OwsConfig *self = ows_config_new ();

  g_return_val_if_fail (host_root != NULL && g_path_is_absolute (host_root), self);

  g_free (self->host_root);
  self->host_root = g_strdup (host_root);
  g_free (self->user_path);
  self->user_path = dup_user_path (self);
  return self;
}

void
ows_config_load (OwsConfig *self)
{
  g_autoptr(JsonObject) merged = NULL;

  g_return_if_fail (OWS_IS_CONFIG (self));

  g_free (self->user_path);
  self->user_path = dup_user_path (self);

  merged = read_files (self);
  apply_pending (merged, self->pending, NULL);
  merge_object (merged, self->overrides);

  g_clear_pointer (&self->root, json_node_unref);
  self->root = json_node_init_object (json_node_alloc (), merged);
}

JsonObject *
ows_config_get_root (OwsConfig *self)
{
  g_return_val_if_fail (OWS_IS_CONFIG (self), NULL);

  return json_node_get_object (self->root);
}

const char *
ows_config_get_user_path (OwsConfig *self)
{
  g_return_val_if_fail (OWS_IS_CONFIG (self), NULL);

  return self->user_path;
}

JsonNode *
ows_config_lookup (OwsConfig  *self,
                   const char *section,
                   const char *key)
{
  g_auto(GStrv) parts = NULL;

  g_return_val_if_fail (OWS_IS_CONFIG (self), NULL);

  parts = split_section (section);
  return find_node (self->root, parts, key);
}

const char *
ows_config_get_string (OwsConfig  *self,
                       const char *section,
                       const char *key,
                       const char *fallback)
{
  JsonNode *node = ows_config_lookup (self, section, key);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return fallback;
  return json_node_get_string (node);
}

gint64
ows_config_get_int (OwsConfig  *self,
                    const char *section,
                    const char *key,
                    gint64      fallback)
{
  JsonNode *node = ows_config_lookup (self, section, key);
  double value;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return fallback;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return json_node_get_int (node);
  if (json_node_get_value_type (node) != G_TYPE_DOUBLE)
    return fallback;

  /* Converting an out-of-range double is undefined behaviour. */
  value = json_node_get_double (node);
  if (!(value > (double) G_MININT64 && value < (double) G_MAXINT64))
    return fallback;
  return (gint64) value;
}

double
ows_config_get_double (OwsConfig  *self,
                       const char *section,
                       const char *key,
                       double      fallback)
{
  JsonNode *node = ows_config_lookup (self, section, key);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return fallback;
  if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    return json_node_get_double (node);
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return (double) json_node_get_int (node);
  return fallback;
}

gboolean
ows_config_get_boolean (OwsConfig  *self,
                        const char *section,
                        const char *key,
                        gboolean    fallback)
{
  JsonNode *node = ows_config_lookup (self, section, key);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return fallback;
  return json_node_get_boolean (node);
}

void
ows_config_override (OwsConfig  *self,
                     const char *section,
                     const char *key,
                     JsonNode   *value)
{
  g_return_if_fail (OWS_IS_CONFIG (self));
  g_return_if_fail (key != NULL);
  g_return_if_fail (value != NULL);

  set_path (self->overrides, section, key, value);
  /* Patched in place so strings borrowed from other keys stay valid. */
  set_path (json_node_get_object (self->root), section, key, value);
}


static gboolean
set_write_error (GError     **error,
                 const char  *path,
                 const char  *what,
                 int          errsv)
{
  g_set_error (error, OWS_CONFIG_ERROR, OWS_CONFIG_ERROR_WRITE,
               "Cannot write %s: %s: %s", path, what, g_strerror (errsv));
  return FALSE;
}

static gboolean
write_all (int         fd,
           const char *data,
           gsize       length)
{
  while (length > 0)
    {
      gssize written = write (fd, data, length);

      if (written < 0 && errno == EINTR)
        continue;
      if (written < 0)
        return FALSE;
      data += written;
      length -= written;
    }
  return TRUE;
}

static gboolean
sync_directory (const char *dir)
{
  int fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  gboolean synced;
  int errsv;

  if (fd < 0)
    return FALSE;
  synced = fsync (fd) == 0;
  errsv = errno;
  close (fd);
  errno = errsv;
  return synced;
}

/* The file a reader finds after a crash is either the old one or the new
 * one, never half of each. */
static gboolean
write_durably (const char  *path,
               const char  *data,
               gsize        length,
               GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *tmp_path = g_strdup_printf ("%s/.%s.XXXXXX", dir, base);
  gboolean replacing;
  struct stat st;
  int fd, errsv = 0;
  const char *failed = NULL;

  replacing = stat (path, &st) == 0;
  if (g_mkdir_with_parents (dir, 0700) != 0)
    return set_write_error (error, path, "cannot create its directory", errno);

  fd = g_mkstemp_full (tmp_path, O_WRONLY | O_CLOEXEC, 0600);
  if (fd < 0)
    return set_write_error (error, path, "cannot create a temporary file beside it", errno);

  /* Keep the file's owner where we can; permissions always. */
  if (replacing && (st.st_uid != geteuid () || st.st_gid != getegid ())
      && fchown (fd, st.st_uid, st.st_gid) != 0)
    g_debug ("Cannot keep the owner of %s: %s", path, g_strerror (errno));

  if (fchmod (fd, replacing ? st.st_mode & 07777 : 0644) != 0
      || !write_all (fd, data, length) || fsync (fd) != 0)
    failed = "cannot write the temporary file";
  errsv = errno;
  if (close (fd) != 0 && failed == NULL)
    {
      failed = "cannot write the temporary file";
      errsv = errno;
    }
  if (failed == NULL && g_rename (tmp_path, path) != 0)
    {
      failed = "cannot replace it";
      errsv = errno;
    }
  if (failed != NULL)
    {
      g_unlink (tmp_path);
      return set_write_error (error, path, failed, errsv);
    }

  /* Without this the rename itself may not survive a power cut. */
  if (!sync_directory (dir))
    return set_write_error (error, path, "cannot sync its directory", errno);
  return TRUE;
}

/* Where a write to @path lands: a symbolic link stays one, and the file it
 * names (even one that does not exist yet) is what gets replaced. */
static char *
resolve_link_target (const char *path)
{
  g_autofree char *current = g_strdup (path);

  for (guint hops = 0; hops < 40; hops++)
    {
      g_autofree char *link = g_file_read_link (current, NULL);
      g_autofree char *dir = NULL;

      if (link == NULL)
        break;
      dir = g_path_get_dirname (current);
      g_free (current);
      current = g_path_is_absolute (link) ? g_steal_pointer (&link)
                                          : g_build_filename (dir, link, NULL);
    }
  return g_steal_pointer (&current);
}

static gint64
get_process_start_time (void)
{
  g_autofree char *stat_text = NULL;
  g_autofree char *boot_text = NULL;
  const char *field, *btime;
  guint64 ticks;
  long hz = sysconf (_SC_CLK_TCK);

  if (!g_file_get_contents ("/proc/self/stat", &stat_text, NULL, NULL)
      || !g_file_get_contents ("/proc/stat", &boot_text, NULL, NULL)
      || (field = strrchr (stat_text, ')')) == NULL
      || (btime = strstr (boot_text, "\nbtime ")) == NULL || hz <= 0)
    return class_init_time;
  /* starttime is field 22; the text after ')' starts at field 3. */
  for (guint i = 0; i < 20 && field != NULL; i++)
    field = strchr (field + 1, ' ');
  if (field == NULL)
    return class_init_time;
  ticks = g_ascii_strtoull (field + 1, NULL, 10);
  return g_ascii_strtoll (btime + 7, NULL, 10) + (gint64) (ticks / hz);
}

/* Temporary files of writers killed before their rename. Only those older
 * than this process: a newer one may be a concurrent writer's, still open. */
static void
remove_stale_temporaries (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *prefix = g_strdup_printf (".%s.", base);
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  gint64 start = get_process_start_time ();
  const char *name;

  if (handle == NULL)
    return;
  while ((name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *stale = NULL;
      struct stat st;

      if (!g_str_has_prefix (name, prefix) || strlen (name) != strlen (prefix) + 6)
        continue;
      stale = g_build_filename (dir, name, NULL);
      if (lstat (stale, &st) != 0 || !S_ISREG (st.st_mode) || st.st_mtime >= start)
        continue;
      if (g_unlink (stale) == 0)
        g_debug ("Removed %s, left by a writer that died", stale);
    }
}

static char *
render_pretty (JsonObject *contents)
{
  g_autoptr(JsonNode) root = json_node_init_object (json_node_alloc (), contents);
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *data = NULL;

  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  json_generator_set_root (generator, root);
  data = json_generator_to_data (generator, NULL);
  return g_strconcat (data, "\n", NULL);
}

static gboolean
set_corrupt_error (GError     **error,
                   const char  *path,
                   const char  *why)
{
  g_set_error (error, OWS_CONFIG_ERROR, OWS_CONFIG_ERROR_USER_FILE_CORRUPT,
               "Not overwriting %s, which does not parse: %s", path, why);
  return FALSE;
}

/* Reads the user file at @path into @contents (its meaning), @text (its
 * bytes) and @blank (the bytes with comment lines blanked); @text stays NULL
 * for a missing or blank file, which holds nothing worth keeping. */
static gboolean
read_user_file (const char  *path,
                JsonObject **contents,
                GString    **text,
                GString    **blank,
                GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *data = NULL;
  g_autofree char *copy = NULL;
  gsize length;

  *text = *blank = NULL;
  if (!g_file_get_contents (path, &data, &length, &local_error))
    {
      /* NOTDIR too: the write then says which directory is in the way. */
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT)
          || g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOTDIR))
        {
          *contents = json_object_new ();
          return TRUE;
        }
      g_set_error (error, OWS_CONFIG_ERROR, OWS_CONFIG_ERROR_WRITE,
                   "Cannot update %s: %s", path, local_error->message);
      return FALSE;
    }

  /* A NUL (a zero-filled file after a power cut) would end the text early. */
  if (memchr (data, '\0', length) != NULL)
    return set_corrupt_error (error, path, "it holds a NUL byte");

  /* Strict first: json-glib reads more than OVOS, and leaks on some of it
   * (every value but the last when the file holds several). */
  copy = g_strndup (data, length);
  blank_comment_lines (copy);
  if (!is_blank (copy) && !ows_json_text_is_strict (copy, length))
    return set_corrupt_error (error, path,
                              "OVOS cannot read it (strict JSON has no byte order mark, "
                              "/* */ comments, single quotes, trailing commas or NaN)");
  *contents = parse_object (copy, length, &local_error);
  if (*contents == NULL)
    return set_corrupt_error (error, path, local_error->message);
  if (is_blank (copy))
    return TRUE;
  *text = g_string_new_len (data, length);
  *blank = g_string_new_len (copy, length);
  return TRUE;
}

/* Writes every pending value, not only the latest: one that a full disk or
 * a read-only mount refused earlier reaches the file with the next write
 * that succeeds, rather than being lost when the process exits. */
static gboolean
patch_user_file (const char  *path,
                 GPtrArray   *pending,
                 GError     **error)
{
  g_autofree char *target = resolve_link_target (path);
  g_autoptr(JsonObject) contents = NULL;
  g_autoptr(JsonObject) check = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) check_root = NULL;
  g_autoptr(GString) text = NULL;
  g_autoptr(GString) blank = NULL;
  g_autofree char *out = NULL;
  g_autofree char *out_blank = NULL;
  gboolean changed = FALSE;

  if (!read_user_file (target, &contents, &text, &blank, error))
    return FALSE;

  root = json_node_init_object (json_node_alloc (), contents);
  for (guint i = 0; i < pending->len; i++)
    {
      PendingValue *value = g_ptr_array_index (pending, i);
      g_auto(GStrv) parts = split_section (value->section);
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      g_auto(GStrv) names = NULL;
      g_autofree char *rendered = NULL;
      JsonNode *current = find_node (root, parts, value->key);

      if (current != NULL && json_node_equal (current, value->value))
        continue;
      set_path (contents, value->section, value->key, value->value);
      changed = TRUE;
      if (text == NULL)
        continue;
      g_strv_builder_addv (builder, (const char **) parts);
      g_strv_builder_add (builder, value->key);
      names = g_strv_builder_end (builder);
      rendered = ows_json_text_render (value->value);
      ows_json_text_patch (text, blank, names, rendered);
    }
  if (!changed)
    {
      g_debug ("%s already holds every persisted value", target);
      return TRUE;
    }

  out = text != NULL ? g_strdup (text->str) : render_pretty (contents);
  /* What goes to disk must read back as what we meant, strictly. */
  out_blank = g_strdup (out);
  check = parse_object (out_blank, strlen (out_blank), NULL);
  check_root = check != NULL ? json_node_init_object (json_node_alloc (), check) : NULL;
  if (check == NULL || !ows_json_text_is_strict (out_blank, strlen (out_blank))
      || !json_node_equal (check_root, root))
    {
      g_set_error (error, OWS_CONFIG_ERROR, OWS_CONFIG_ERROR_WRITE,
                   "Cannot update %s: the patched text does not read back", target);
      return FALSE;
    }

  remove_stale_temporaries (target);
  if (!write_durably (target, out, strlen (out), error))
    return FALSE;
  g_debug ("Wrote %u persisted value(s) into %s", pending->len, target);
  return TRUE;
}

/**
 * ows_config_persist:
 * @self: a configuration
 * @section: (nullable): where @key lives, "PHAL/ovos-PHAL-plugin-wifi-setup" style
 * @key: the key to set
 * @value: (transfer none): its new value
 * @error: where a write failure goes
 *
 * Sets @key in memory at once, then patches it into the user file. A value
 * the file refused (OWS_CONFIG_ERROR_WRITE or _USER_FILE_CORRUPT) stays in
 * effect, reloads included, and is written with the next persist that
 * succeeds, whatever key that one is for.
 *
 * The write changes only the text of the values it sets: every other byte
 * of the file, comment lines included, stays as the user wrote it. A file
 * OVOS cannot read (Python's json.loads after dropping comment lines) is
 * never written; a symbolic link stays one, the file it names is replaced.
 *
 * Returns: whether the user file now holds every persisted value
 */
gboolean
ows_config_persist (OwsConfig   *self,
                    const char  *section,
                    const char  *key,
                    JsonNode    *value,
                    GError     **error)
{
  g_return_val_if_fail (OWS_IS_CONFIG (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (value != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* Memory first: the value counts from now on even if the disk refuses it. */
  add_pending (self->pending, section, key, value);
  if (!path_shadowed (self->overrides, section, key))
    set_path (json_node_get_object (self->root), section, key, value);

  if (!patch_user_file (self->user_path, self->pending, error))
    return FALSE;

  /* The next load reads them back from the user file. */
  g_ptr_array_set_size (self->pending, 0);
  return TRUE;
}

char *
ows_config_dup_bus_url (OwsConfig *self)
{
  g_autofree char *host = NULL;
  g_autofree char *path = NULL;
  const char *route;
  gint64 port;

  g_return_val_if_fail (OWS_IS_CONFIG (self), NULL);

  host = g_strdup (ows_config_get_string (self, "websocket", "host", ""));
  /* g_uri_join () adds the brackets an IPv6 literal needs; don't double them. */
  if (host[0] == '[' && g_str_has_suffix (host, "]"))
    {
      g_autofree char *bare = g_strndup (host + 1, strlen (host) - 2);

      g_free (host);
      host = g_steal_pointer (&bare);
    }
  if (*host == '\0')
    {
      g_free (host);
      host = g_strdup ("127.0.0.1");
    }
  port = ows_config_get_int (self, "websocket", "port", 8181);
  if (port <= 0 || port > G_MAXUINT16)
    port = 8181;
  route = ows_config_get_string (self, "websocket", "route", "/core");
  path = route[0] == '/' ? g_strdup (route) : g_strconcat ("/", route, NULL);

  return g_uri_join (G_URI_FLAGS_NONE,
                     ows_config_get_boolean (self, "websocket", "ssl", FALSE) ? "wss" : "ws",
                     NULL, host, (int) port, path, NULL, NULL);
}

gsize
ows_config_get_max_msg_size (OwsConfig *self)
{
  double mib;

  g_return_val_if_fail (OWS_IS_CONFIG (self), DEFAULT_MAX_MSG_MIB * MIB);

  mib = ows_config_get_double (self, "websocket", "max_msg_size", 0);
  if (!(mib * MIB >= 1))
    return DEFAULT_MAX_MSG_MIB * MIB;
  if (mib * MIB >= (double) G_MAXSIZE)
    return G_MAXSIZE;
  return (gsize) (mib * MIB);
}
