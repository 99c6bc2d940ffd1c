/* test-config-faults.c: persisting to the user mycroft.conf when writes fail or die half way.
 * SPDX-License-Identifier: Apache-2.0
 */
#define _GNU_SOURCE  /* unshare, CLONE_NEWUSER, CLONE_NEWNS */

#include "ows-config.h"
#include "ows-test-peer.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <glib-unix.h>

#define PLUGIN       OWS_CONFIG_PLUGIN_SECTION
#define DOMAIN       "ows-config"
#define PROBE_KEY    "fault_probe"
#define TEMP_PREFIX  ".mycroft.conf."
#define WRITER_FLAG  "--writer"

/* The killed-writer loop: enough kills to land in every step of a write
 * many times over, bounded so that a slow (sanitized) build still finishes
 * well inside the test's timeout. */
#define MAX_KILLS       300
#define MIN_KILLS       25
#define KILL_BUDGET_US  (8 * G_USEC_PER_SEC)

/* A namespaced child that runs longer than this is hung, not slow. */
#define CHILD_DEADLINE_US (60 * G_USEC_PER_SEC)

/* A file with no comments: a rewrite keeps every byte of its meaning, so
 * after any number of rewrites it must equal this plus the probe. */
static const char initial_json[] =
  "{\n"
  "  \"sentinel\": \"must survive\",\n"
  "  \"websocket\": {\"host\": \"10.1.2.3\", \"port\": 8182},\n"
  "  \"PHAL\": {\n"
  "    \"other-plugin\": {\"enabled\": false, \"list\": [1, {\"x\": \"y\"}]},\n"
  "    \"ovos-PHAL-plugin-wifi-setup\": {\"grace_period\": 61}\n"
  "  }\n"
  "}\n";

typedef struct
{
  char *scratch;
  char *config_home;  /* $XDG_CONFIG_HOME */
  char *dir;          /* $XDG_CONFIG_HOME/mycroft */
  char *user;         /* $XDG_CONFIG_HOME/mycroft/mycroft.conf */
} Fixture;

static JsonNode *
parse_node (const char *json)
{
  g_autofree char *text = g_strdup_printf ("{\"v\": %s}", json);
  g_autoptr(JsonNode) root = ows_test_parse_config_text (text);

  return json_node_copy (json_object_get_member (json_node_get_object (root), "v"));
}

static JsonObject *
member_object (JsonNode   *root,
               const char *first,
               const char *second)
{
  JsonObject *object = json_node_get_object (root);

  object = json_object_get_object_member (object, first);
  g_assert_nonnull (object);
  if (second != NULL)
    object = json_object_get_object_member (object, second);
  g_assert_nonnull (object);
  return object;
}

static OwsConfig *
load_config (void)
{
  OwsConfig *config = ows_config_new ();

  ows_config_load (config);
  return config;
}

static guint
count_entries (const char *dir,
               const char *prefix)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;

  if (handle == NULL)
    return 0;
  while ((name = g_dir_read_name (handle)) != NULL)
    if (prefix == NULL || g_str_has_prefix (name, prefix))
      n++;
  return n;
}

static void
assert_same_file (const char        *path,
                  const char        *contents,
                  const struct stat *before)
{
  g_autofree char *text = ows_test_read_text (path);
  struct stat after;

  g_assert_cmpstr (text, ==, contents);
  g_assert_cmpint (g_stat (path, &after), ==, 0);
  g_assert_cmpuint (after.st_ino, ==, before->st_ino);
  g_assert_cmpint (after.st_mtim.tv_sec, ==, before->st_mtim.tv_sec);
  g_assert_cmpint (after.st_mtim.tv_nsec, ==, before->st_mtim.tv_nsec);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->scratch = g_dir_make_tmp ("ows-config-faults-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->config_home = g_build_filename (fixture->scratch, "config", NULL);
  fixture->dir = g_build_filename (fixture->config_home, "mycroft", NULL);
  fixture->user = g_build_filename (fixture->dir, "mycroft.conf", NULL);
  g_assert_cmpint (g_mkdir_with_parents (fixture->config_home, 0700), ==, 0);
  g_setenv ("XDG_CONFIG_HOME", fixture->config_home, TRUE);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  ows_test_remove_tree (fixture->scratch);
  g_free (fixture->scratch);
  g_free (fixture->config_home);
  g_free (fixture->dir);
  g_free (fixture->user);
}

/* Sizes from a few bytes to over two pages, so that the file grows and
 * shrinks across page and write boundaries from one write to the next. */
static char *
probe_value (guint64 seq)
{
  g_autofree char *padding = g_strnfill ((seq * 797) % 9000, 'x');

  return g_strdup_printf ("%" G_GUINT64_FORMAT ":%s", seq, padding);
}

static void
report_to (int         fd,
           const char *line)
{
  gsize length = strlen (line);

  /* One write of less than PIPE_BUF: the reader sees all of a line or none. */
  g_assert_cmpint (write (fd, line, length), ==, (gssize) length);
}

static void
read_all (int      fd,
          GString *into)
{
  char buffer[4096];
  gssize n;

  while ((n = read (fd, buffer, sizeof buffer)) != 0)
    {
      if (n < 0 && errno == EINTR)
        continue;
      g_assert_cmpint (n, >, 0);
      g_string_append_len (into, buffer, n);
    }
}

/* The child the killed-writer test re-executes: persists a new probe value
 * as fast as it can and reports each one the moment persist confirms it. */
static int
run_writer (const char *start)
{
  g_autoptr(OwsConfig) config = NULL;
  guint64 seq = g_ascii_strtoull (start, NULL, 10);

  /* Debug output would go to stdout, which is the parent's pipe. */
  g_log_writer_default_set_use_stderr (TRUE);
  config = load_config ();
  report_to (STDOUT_FILENO, "ready\n");

  for (;; seq++)
    {
      g_autofree char *text = probe_value (seq);
      g_autofree char *line = g_strdup_printf ("%" G_GUINT64_FORMAT "\n", seq);
      g_autoptr(JsonNode) value = json_node_init_string (json_node_alloc (), text);
      g_autoptr(GError) error = NULL;

      if (!ows_config_persist (config, PLUGIN, PROBE_KEY, value, &error))
        {
          g_printerr ("writer: %s\n", error->message);
          return 1;
        }
      report_to (STDOUT_FILENO, line);
    }
}

typedef struct
{
  GPid     pid;
  int      out;  /* the writer's stdout */
  GString *heard;
} Writer;

static void
writer_start (Writer  *writer,
              guint64  first_seq)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *self = g_file_read_link ("/proc/self/exe", &error);
  g_autofree char *start = g_strdup_printf ("%" G_GUINT64_FORMAT, first_seq);
  char *argv[] = { self, WRITER_FLAG, start, NULL };

  g_assert_no_error (error);
  g_spawn_async_with_pipes (NULL, argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                            &writer->pid, NULL, &writer->out, NULL, &error);
  g_assert_no_error (error);
  writer->heard = g_string_new (NULL);
}

/* Returns FALSE at end of file. */
static gboolean
writer_read (Writer *writer,
             int     timeout_ms)
{
  struct pollfd pfd = { writer->out, POLLIN, 0 };
  char buffer[4096];
  gssize n;

  g_assert_cmpint (poll (&pfd, 1, timeout_ms), ==, 1);
  do
    n = read (writer->out, buffer, sizeof buffer);
  while (n < 0 && errno == EINTR);
  g_assert_cmpint (n, >=, 0);
  g_string_append_len (writer->heard, buffer, n);
  return n > 0;
}

static guint
count_lines (GString *text)
{
  guint n = 0;

  for (gsize i = 0; i < text->len; i++)
    n += text->str[i] == '\n';
  return n;
}

static void
writer_wait_lines (Writer *writer,
                   guint   lines)
{
  while (count_lines (writer->heard) < lines)
    g_assert_true (writer_read (writer, OWS_TEST_TIMEOUT_MS));
}

/* Returns the last sequence number the writer confirmed. */
static guint64
writer_kill (Writer *writer)
{
  const char *last;
  guint64 confirmed;
  int status;

  g_assert_cmpint (kill (writer->pid, SIGKILL), ==, 0);
  g_assert_cmpint (waitpid (writer->pid, &status, 0), ==, writer->pid);
  /* Anything else means the writer failed on its own; its stderr says why. */
  g_assert_true (WIFSIGNALED (status));
  g_assert_cmpint (WTERMSIG (status), ==, SIGKILL);
  g_spawn_close_pid (writer->pid);

  while (writer_read (writer, OWS_TEST_TIMEOUT_MS))
    ;
  close (writer->out);

  g_assert_true (g_str_has_suffix (writer->heard->str, "\n"));
  g_string_truncate (writer->heard, writer->heard->len - 1);
  last = strrchr (writer->heard->str, '\n');
  g_assert_nonnull (last);
  confirmed = g_ascii_strtoull (last + 1, NULL, 10);
  g_string_free (writer->heard, TRUE);
  return confirmed;
}

/* The file after a kill: strict JSON and the project's own reader agree,
 * the probe is the last confirmed value or the one in flight, and with the
 * probe taken out the rest is exactly what the test started with. Returns
 * the probe's sequence number; @next is the text the killed write of the
 * last confirmed value's successor meant to write. */
static guint64
check_after_kill (Fixture    *fixture,
                  JsonNode   *initial,
                  guint64     confirmed,
                  guint      *in_flight,
                  char      **next)
{
  g_autofree char *text = ows_test_read_text (fixture->user);
  g_autoptr(JsonNode) root = ows_test_parse_config_text (text);
  g_autoptr(OwsConfig) config = load_config ();
  JsonObject *plugin = member_object (root, "PHAL", "ovos-PHAL-plugin-wifi-setup");
  g_autofree char *old_value = probe_value (confirmed);
  g_autofree char *new_value = probe_value (confirmed + 1);
  const char *probe = json_object_get_string_member_with_default (plugin, PROBE_KEY, NULL);
  guint64 seq = confirmed;
  struct stat st;

  g_assert_nonnull (probe);
  if (!g_str_equal (probe, old_value))
    {
      /* Renamed into place, killed before it could say so. */
      g_assert_cmpstr (probe, ==, new_value);
      seq = confirmed + 1;
      (*in_flight)++;
    }

  g_assert_cmpstr (ows_config_get_string (config, PLUGIN, PROBE_KEY, NULL), ==, probe);
  g_assert_cmpstr (ows_config_get_string (config, NULL, "sentinel", NULL), ==, "must survive");
  g_assert_cmpint (ows_config_get_int (config, "websocket", "port", 0), ==, 8182);

  /* A persist patches the probe's value in place and keeps every other byte. */
  {
    g_autofree char *from = g_strdup_printf ("\"%s\"", probe);
    g_autofree char *to = g_strdup_printf ("\"%s\"", new_value);
    GString *patched = g_string_new (text);

    g_assert_cmpuint (g_string_replace (patched, from, to, 0), ==, 1);
    *next = g_string_free (patched, FALSE);
  }

  json_object_remove_member (plugin, PROBE_KEY);
  g_assert_true (json_node_equal (root, initial));

  g_assert_cmpint (g_stat (fixture->user, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0640);
  return seq;
}

static guint
count_temporaries (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;

  g_assert_nonnull (handle);
  while ((name = g_dir_read_name (handle)) != NULL)
    n += g_str_has_prefix (name, TEMP_PREFIX);
  return n;
}

/* A temporary file a killed writer leaves behind: empty if it died before
 * writing, otherwise a prefix of the file it meant to write. Never anything
 * a reader looks at, since only the rename publishes it. Returns how many
 * there are that @seen did not hold. */
static guint
check_leftovers (const char *dir,
                 GHashTable *seen,
                 const char *next,
                 guint      *empty)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;
  guint found = 0;

  g_assert_nonnull (handle);
  while ((name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *text = NULL;
      struct stat st;

      if (g_str_equal (name, "mycroft.conf") || g_hash_table_contains (seen, name))
        continue;
      g_assert_true (g_str_has_prefix (name, TEMP_PREFIX));
      g_assert_cmpuint (strlen (name), ==, strlen (TEMP_PREFIX) + 6);
      g_assert_cmpint (g_stat (path, &st), ==, 0);
      /* Never readable by more than the file it was to replace. */
      g_assert_cmpint (st.st_mode & 0777 & ~0640, ==, 0);
      text = ows_test_read_text (path);
      g_assert_true (g_str_has_prefix (next, text));
      if (*text == '\0')
        (*empty)++;
      g_hash_table_add (seen, g_strdup (name));
      found++;
    }
  return found;
}

/* Kills land at a random point of the writer's next persist, in any of its
 * steps: the delay is a random fraction (from the seed) of twice the time a
 * persist takes here, measured as the test goes, so that a slow disk is
 * covered to the end of its fsyncs as well as a fast one. */
static void
test_killed_writer (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(JsonNode) initial = ows_test_parse_config_text (initial_json);
  g_autoptr(GHashTable) leftovers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gint64 deadline = g_get_monotonic_time () + KILL_BUDGET_US;
  gint64 persist_us = 0;
  guint64 seq = 0, writes = 0;
  guint kills = 0, between = 0, in_flight = 0, mid_write = 0, empty = 0;

  ows_test_write_text (fixture->user, initial_json);
  g_assert_cmpint (g_chmod (fixture->user, 0640), ==, 0);

  while (kills < MAX_KILLS && (kills < MIN_KILLS || g_get_monotonic_time () < deadline))
    {
      Writer writer = { 0, };
      g_autofree char *next = NULL;
      guint renamed = in_flight, left;
      guint64 confirmed;
      gint64 start;

      writer_start (&writer, seq + 1);
      writer_wait_lines (&writer, 1);
      start = g_get_monotonic_time ();
      writer_wait_lines (&writer, 2);
      persist_us += g_get_monotonic_time () - start;
      g_usleep (2 * persist_us / (kills + 1) * g_test_rand_int_range (0, 1000) / 1000);
      confirmed = writer_kill (&writer);
      kills++;

      g_assert_cmpuint (confirmed, >, seq);
      writes += confirmed - seq;
      seq = check_after_kill (fixture, initial, confirmed, &in_flight, &next);
      left = check_leftovers (fixture->dir, leftovers, next, &empty);
      /* One writer, one temporary file at most; none once it was renamed. */
      g_assert_cmpuint (left, <=, in_flight == renamed ? 1 : 0);
      mid_write += left;
      between += left == 0 && in_flight == renamed;
    }

  g_test_message ("%u kills, %" G_GUINT64_FORMAT " confirmed writes, a persist took %"
                  G_GINT64_FORMAT " us on average; killed before a write began or after it "
                  "was confirmed: %u, mid-write (temporary file left, %u of them empty): %u, "
                  "after the rename but before the writer could confirm it: %u",
                  kills, writes, persist_us / kills, between, empty, mid_write, in_flight);

  /* They do not pile up: a writer removes those older than itself. One
   * more, started later, leaves at most its own. */
  {
    Writer writer = { 0, };
    guint before = count_temporaries (fixture->dir), after;

    /* A process's start is known to the second, and boot time is rounded
     * down: two seconds on, it is surely later than every file above. */
    g_usleep (2 * G_USEC_PER_SEC + G_USEC_PER_SEC / 10);
    writer_start (&writer, seq + 1);
    writer_wait_lines (&writer, 3);
    writer_kill (&writer);
    after = count_temporaries (fixture->dir);
    g_test_message ("temporary files left by the %u kills: %u before one more writer, %u after",
                    kills, before, after);
    g_assert_cmpuint (after, <=, 1);
  }
}

/* Mounting needs CAP_SYS_ADMIN over a mount namespace of one's own. Root
 * (as in CI, where chmod stops nothing) only needs the namespace; anyone
 * else first needs a user namespace, which unshare () refuses to a process
 * with threads: hence a fork ()ed, single-threaded child, whose mounts also
 * vanish with it, so no test can leave a mount behind. */
#define CHILD_SKIPPED 77

static int skip_fd = -1;  /* in the child: where the reason for a skip goes */

static G_NORETURN void
skip_child (const char *reason)
{
  report_to (skip_fd, reason);
  _exit (CHILD_SKIPPED);
}

static gboolean
write_proc_file (const char *path,
                 const char *text)
{
  int fd = open (path, O_WRONLY | O_CLOEXEC);
  gboolean written;
  int errsv;

  if (fd < 0)
    return FALSE;
  written = write (fd, text, strlen (text)) == (gssize) strlen (text);
  errsv = errno;
  close (fd);
  errno = errsv;
  return written;
}

/* The same uid and gid inside as outside: the files the test makes are
 * then owned as they would be without the namespace. */
static void
enter_user_namespace (const char *no_root)
{
  g_autofree char *uid_map = g_strdup_printf ("%u %u 1\n", geteuid (), geteuid ());
  g_autofree char *gid_map = g_strdup_printf ("%u %u 1\n", getegid (), getegid ());
  g_autofree char *reason = NULL;

  if (unshare (CLONE_NEWUSER | CLONE_NEWNS) != 0)
    {
      reason = g_strdup_printf ("no mount namespace to mount a tmpfs in: %s"
                                "unshare (CLONE_NEWUSER | CLONE_NEWNS): %s",
                                no_root, g_strerror (errno));
      skip_child (reason);
    }
  /* An unprivileged process may map its gid only after giving up setgroups (). */
  if ((!write_proc_file ("/proc/self/setgroups", "deny") && errno != ENOENT)
      || !write_proc_file ("/proc/self/uid_map", uid_map)
      || !write_proc_file ("/proc/self/gid_map", gid_map))
    {
      reason = g_strdup_printf ("cannot map ids in a new user namespace: %s", g_strerror (errno));
      skip_child (reason);
    }
}

static void
enter_mount_namespace (void)
{
  g_autofree char *no_root = NULL;

  if (geteuid () != 0)
    enter_user_namespace ("");
  else if (unshare (CLONE_NEWNS) != 0)
    {
      /* Root without CAP_SYS_ADMIN, as in a default container. */
      no_root = g_strdup_printf ("as root, unshare (CLONE_NEWNS): %s; ", g_strerror (errno));
      enter_user_namespace (no_root);
    }

  /* Where / is a shared mount (systemd's default), mounts below would
   * otherwise show up in the machine's own namespace too. "none" rather
   * than NULL: the kernel ignores both, valgrind reads the string. */
  if (mount ("none", "/", "none", MS_REC | MS_PRIVATE, NULL) != 0)
    {
      if (errno == EINVAL)
        skip_child ("/ is not a mount point here (a chroot), so it cannot be made private, "
                    "and a tmpfs mounted below it would show outside the test");
      g_error ("cannot make / private in a new mount namespace: %s", g_strerror (errno));
    }
}

/* A security module may still refuse the mount itself. */
static void
mount_tmpfs (const char *dir,
             const char *size)
{
  g_autofree char *options = g_strdup_printf ("size=%s,mode=0700", size);
  g_autofree char *reason = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  if (mount ("tmpfs", dir, "tmpfs", MS_NOSUID | MS_NODEV, options) != 0)
    {
      reason = g_strdup_printf ("mount -t tmpfs -o %s tmpfs %s: %s", options, dir,
                                g_strerror (errno));
      skip_child (reason);
    }
}

static void
remount (const char *dir,
         gboolean    read_only)
{
  unsigned long flags = MS_REMOUNT | MS_NOSUID | MS_NODEV | (read_only ? MS_RDONLY : 0);

  if (mount ("none", dir, "none", flags, NULL) != 0)
    g_error ("mount -o remount,%s %s: %s", read_only ? "ro" : "rw", dir, g_strerror (errno));
  g_assert_cmpint (access (dir, W_OK) == 0 ? 0 : errno, ==, read_only ? EROFS : 0);
}

/* The child's mounts stayed in its namespace. */
static void
assert_not_mounted (const char *scratch)
{
  g_autofree char *mounts = ows_test_read_text ("/proc/self/mountinfo");

  g_assert_null (strstr (mounts, scratch));
}

/* Runs @func in a fork ()ed child inside its own mount namespace; skips
 * the test with the child's reason when it cannot mount. */
static void
run_namespaced (Fixture *fixture,
                void   (*func) (Fixture *fixture))
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) reason = NULL;  /* made after fork (): the child never frees it */
  gint64 deadline = g_get_monotonic_time () + CHILD_DEADLINE_US;
  int fds[2], status = 0;
  pid_t pid;

  /* The child goes on with malloc () and GLib after fork (): safe only
   * while no other thread can hold their locks. */
  g_assert_cmpuint (count_entries ("/proc/self/task", NULL), ==, 1);
  g_unix_open_pipe (fds, FD_CLOEXEC, &error);
  g_assert_no_error (error);
  /* Or the child would print what the parent has buffered a second time. */
  fflush (stdout);
  fflush (stderr);

  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      close (fds[0]);
      skip_fd = fds[1];
      enter_mount_namespace ();
      func (fixture);
      fflush (stdout);
      _exit (0);
    }

  close (fds[1]);
  reason = g_string_new (NULL);
  while (waitpid (pid, &status, WNOHANG) == 0)
    {
      if (g_get_monotonic_time () > deadline)
        {
          kill (pid, SIGKILL);
          g_error ("the namespaced child hung");
        }
      g_usleep (10 * 1000);
    }
  read_all (fds[0], reason);
  close (fds[0]);
  assert_not_mounted (fixture->scratch);

  if (WIFEXITED (status) && WEXITSTATUS (status) == CHILD_SKIPPED)
    {
      g_test_skip (reason->str);
      return;
    }
  if (WIFSIGNALED (status))
    g_error ("the namespaced child died of signal %d (%s)", WTERMSIG (status),
             g_strsignal (WTERMSIG (status)));
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
}

/* The refused persist every file-system case shares: a clear error naming
 * the file and the reason, and the value in effect all the same, reload
 * included. */
static void
assert_refused (OwsConfig  *config,
                const char *user,
                int         errsv)
{
  g_autoptr(JsonNode) value = json_node_init_boolean (json_node_alloc (), FALSE);
  g_autoptr(GError) error = NULL;

  g_assert_false (ows_config_persist (config, PLUGIN, "first_boot", value, &error));
  g_assert_error (error, OWS_CONFIG_ERROR, OWS_CONFIG_ERROR_WRITE);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, user));
  g_assert_nonnull (strstr (error->message, g_strerror (errsv)));

  g_assert_false (ows_config_get_boolean (config, PLUGIN, "first_boot", TRUE));
  ows_config_load (config);
  g_assert_false (ows_config_get_boolean (config, PLUGIN, "first_boot", TRUE));
}

static gboolean
persist_boolean (OwsConfig  *config,
                 const char *key,
                 gboolean    value)
{
  g_autoptr(JsonNode) node = json_node_init_boolean (json_node_alloc (), value);
  g_autoptr(GError) error = NULL;
  gboolean persisted = ows_config_persist (config, PLUGIN, key, node, &error);

  g_assert_no_error (error);
  return persisted;
}

static void
read_only_dir (Fixture *fixture)
{
  g_autoptr(OwsConfig) config = NULL;
  g_autoptr(OwsConfig) fresh = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  JsonObject *plugin;
  struct stat before;
  static const char contents[] =
    "# hand-written: any rewrite would drop this line\n"
    "{\"lang\": \"de-de\", \"PHAL\": {\"ovos-PHAL-plugin-wifi-setup\": {\"grace_period\": 50}}}\n";

  mount_tmpfs (fixture->dir, "64k");
  ows_test_write_text (fixture->user, contents);
  g_assert_cmpint (g_chmod (fixture->user, 0640), ==, 0);
  config = load_config ();
  remount (fixture->dir, TRUE);
  g_assert_cmpint (g_stat (fixture->user, &before), ==, 0);

  assert_refused (config, fixture->user, EROFS);
  assert_same_file (fixture->user, contents, &before);
  g_assert_cmpuint (count_entries (fixture->dir, NULL), ==, 1);
  g_assert_cmpstr (ows_config_get_string (config, NULL, "lang", NULL), ==, "de-de");
  g_assert_cmpint (ows_config_get_int (config, PLUGIN, "grace_period", 0), ==, 50);

  /* Writable again: the next persist, of another key, writes the refused
   * value as well. */
  remount (fixture->dir, FALSE);
  g_assert_true (persist_boolean (config, "enable_watchdog", FALSE));
  text = ows_test_read_text (fixture->user);
  root = ows_test_parse_config_text (text);
  plugin = member_object (root, "PHAL", "ovos-PHAL-plugin-wifi-setup");
  g_assert_false (json_object_get_boolean_member (plugin, "first_boot"));
  g_assert_false (json_object_get_boolean_member (plugin, "enable_watchdog"));
  g_assert_cmpint (json_object_get_int_member (plugin, "grace_period"), ==, 50);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (root), "lang"), ==, "de-de");
  g_assert_cmpint (g_stat (fixture->user, &before), ==, 0);
  g_assert_cmpint (before.st_mode & 0777, ==, 0640);
  g_assert_cmpuint (count_entries (fixture->dir, NULL), ==, 1);

  fresh = load_config ();
  g_assert_false (ows_config_get_boolean (fresh, PLUGIN, "first_boot", TRUE));
  g_assert_false (ows_config_get_boolean (fresh, PLUGIN, "enable_watchdog", TRUE));
  g_assert_finalize_object (g_steal_pointer (&config));
  g_assert_finalize_object (g_steal_pointer (&fresh));
}

/* No mycroft directory yet, and a read-only config home to make it in. */
static void
read_only_home (Fixture *fixture)
{
  g_autoptr(OwsConfig) config = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  struct stat st;

  mount_tmpfs (fixture->config_home, "64k");
  remount (fixture->config_home, TRUE);
  config = load_config ();

  assert_refused (config, fixture->user, EROFS);
  g_assert_cmpuint (count_entries (fixture->config_home, NULL), ==, 0);

  remount (fixture->config_home, FALSE);
  g_assert_true (persist_boolean (config, "first_boot", FALSE));
  text = ows_test_read_text (fixture->user);
  root = ows_test_parse_config_text (text);
  g_assert_false (json_object_get_boolean_member (
                    member_object (root, "PHAL", "ovos-PHAL-plugin-wifi-setup"), "first_boot"));
  g_assert_cmpint (g_stat (fixture->user, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0644);
  g_assert_finalize_object (g_steal_pointer (&config));
}

/* Leaves @keep blocks free on @dir's file system; returns the filler. */
static char *
fill_up (const char *dir,
         guint64     keep)
{
  char *filler = g_build_filename (dir, "filler", NULL);
  g_autofree char *zeros = NULL;
  struct statvfs vfs;
  gsize size;
  int fd;

  g_assert_cmpint (statvfs (dir, &vfs), ==, 0);
  g_assert_cmpuint (vfs.f_bavail, >, keep);
  size = (vfs.f_bavail - keep) * vfs.f_frsize;
  zeros = g_malloc0 (size);
  fd = open (filler, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (write (fd, zeros, size), ==, (gssize) size);
  g_assert_cmpint (close (fd), ==, 0);

  g_assert_cmpint (statvfs (dir, &vfs), ==, 0);
  g_assert_cmpuint (vfs.f_bavail, ==, keep);
  return filler;
}

/* Room for the old file, not for the old and the new one side by side: the
 * temporary file gets two pages of its three, then ENOSPC. */
static void
full_disk (Fixture *fixture)
{
  g_autoptr(OwsConfig) config = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *notes = g_strnfill (9000, 'n');
  g_autofree char *contents = NULL;
  g_autofree char *filler = NULL;
  g_autofree char *text = NULL;
  JsonObject *plugin;
  struct stat before;

  mount_tmpfs (fixture->dir, "64k");
  contents = g_strdup_printf ("{\"notes\": \"%s\", \"PHAL\": {\"ovos-PHAL-plugin-wifi-setup\": "
                              "{\"grace_period\": 50}}}\n", notes);
  ows_test_write_text (fixture->user, contents);
  config = load_config ();
  filler = fill_up (fixture->dir, 2);
  g_assert_cmpint (g_stat (fixture->user, &before), ==, 0);

  assert_refused (config, fixture->user, ENOSPC);
  assert_same_file (fixture->user, contents, &before);
  g_assert_cmpuint (count_entries (fixture->dir, TEMP_PREFIX), ==, 0);
  g_assert_cmpuint (count_entries (fixture->dir, NULL), ==, 2);
  g_assert_cmpstr (ows_config_get_string (config, NULL, "notes", NULL), ==, notes);

  /* Room again: the same persist, retried, writes the whole file. */
  g_assert_cmpint (g_unlink (filler), ==, 0);
  g_assert_true (persist_boolean (config, "first_boot", FALSE));
  text = ows_test_read_text (fixture->user);
  g_assert_true (g_str_has_suffix (text, "}\n"));
  root = ows_test_parse_config_text (text);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (root), "notes"), ==, notes);
  plugin = member_object (root, "PHAL", "ovos-PHAL-plugin-wifi-setup");
  g_assert_false (json_object_get_boolean_member (plugin, "first_boot"));
  g_assert_cmpint (json_object_get_int_member (plugin, "grace_period"), ==, 50);
  g_assert_cmpuint (count_entries (fixture->dir, NULL), ==, 1);
  g_assert_finalize_object (g_steal_pointer (&config));
}

static void
test_read_only_dir (Fixture       *fixture,
                    gconstpointer  data)
{
  run_namespaced (fixture, read_only_dir);
}

static void
test_read_only_home (Fixture       *fixture,
                     gconstpointer  data)
{
  run_namespaced (fixture, read_only_home);
}

static void
test_full_disk (Fixture       *fixture,
                gconstpointer  data)
{
  run_namespaced (fixture, full_disk);
}

static gboolean
persist_json (OwsConfig   *config,
              const char  *section,
              const char  *key,
              const char  *json,
              GError     **error)
{
  g_autoptr(JsonNode) value = parse_node (json);

  return ows_config_persist (config, section, key, value, error);
}

static void
assert_write_refused (OwsConfig  *config,
                      const char *section,
                      const char *key,
                      const char *json)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (persist_json (config, section, key, json, &error));
  g_assert_error (error, OWS_CONFIG_ERROR, OWS_CONFIG_ERROR_WRITE);
}

/* "Loses nothing": a value whose write failed stays in effect, and the next
 * write that succeeds (of any key) takes it to the file. Its latest value
 * only, and an object value replaces what the file holds, exactly as a
 * successful persist of it would have. */
static void
test_pending_written_later (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(OwsConfig) config = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) expected = parse_node ("{\"new\": 2}");
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  JsonObject *plugin, *nested;

  /* A file where the directory should be refuses root as well. */
  ows_test_write_text (fixture->dir, "not a directory");
  config = load_config ();
  assert_write_refused (config, PLUGIN, "first_boot", "false");
  assert_write_refused (config, PLUGIN, "grace_period", "10");
  assert_write_refused (config, PLUGIN, "grace_period", "20");
  assert_write_refused (config, "skills/nested", "deep", "{\"new\": 2}");

  /* Meanwhile someone else makes the file. */
  g_assert_cmpint (g_unlink (fixture->dir), ==, 0);
  ows_test_write_text (fixture->user, "{\"lang\": \"de-de\", "
                             "\"skills\": {\"nested\": {\"deep\": {\"old\": 1}, \"keep\": true}}}");
  ows_config_load (config);
  g_assert_cmpint (ows_config_get_int (config, PLUGIN, "grace_period", 0), ==, 20);
  g_assert_null (ows_config_lookup (config, "skills/nested/deep", "old"));
  g_assert_true (ows_config_get_boolean (config, "skills/nested", "keep", FALSE));

  g_assert_true (persist_json (config, PLUGIN, "enable_watchdog", "false", &error));
  g_assert_no_error (error);

  text = ows_test_read_text (fixture->user);
  root = ows_test_parse_config_text (text);
  plugin = member_object (root, "PHAL", "ovos-PHAL-plugin-wifi-setup");
  g_assert_false (json_object_get_boolean_member (plugin, "first_boot"));
  g_assert_cmpint (json_object_get_int_member (plugin, "grace_period"), ==, 20);
  g_assert_false (json_object_get_boolean_member (plugin, "enable_watchdog"));
  g_assert_cmpuint (json_object_get_size (plugin), ==, 3);
  nested = member_object (root, "skills", "nested");
  g_assert_true (json_node_equal (json_object_get_member (nested, "deep"), expected));
  g_assert_true (json_object_get_boolean_member (nested, "keep"));
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (root), "lang"), ==, "de-de");

  /* Written means no longer pending: the file is the truth again. */
  ows_test_write_text (fixture->user, "{\"PHAL\": {\"ovos-PHAL-plugin-wifi-setup\": {\"first_boot\": true}}}");
  ows_config_load (config);
  g_assert_true (ows_config_get_boolean (config, PLUGIN, "first_boot", FALSE));
  g_assert_cmpint (ows_config_get_int (config, PLUGIN, "grace_period", 0), ==, 45);
  g_assert_null (ows_config_lookup (config, "skills", NULL));
  g_assert_finalize_object (g_steal_pointer (&config));
}

/* A user file that does not parse is never overwritten; once the user has
 * fixed it, the next persist writes what was refused, beside their keys. */
static void
test_pending_after_corrupt (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(OwsConfig) config = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *pattern = g_strdup_printf ("Ignoring %s: line 2: *", fixture->user);
  JsonObject *plugin;
  static const char corrupt[] = "{\n  \"lang\": oops\n}\n";

  ows_test_write_text (fixture->user, corrupt);
  g_test_expect_message (DOMAIN, G_LOG_LEVEL_WARNING, pattern);
  config = load_config ();
  g_test_assert_expected_messages ();

  g_assert_false (persist_json (config, PLUGIN, "first_boot", "false", &error));
  g_assert_error (error, OWS_CONFIG_ERROR, OWS_CONFIG_ERROR_USER_FILE_CORRUPT);
  g_clear_error (&error);
  text = ows_test_read_text (fixture->user);
  g_assert_cmpstr (text, ==, corrupt);
  g_clear_pointer (&text, g_free);

  ows_test_write_text (fixture->user, "// fixed\n{\"lang\": \"fr-fr\"}\n");
  g_assert_true (persist_json (config, PLUGIN, "grace_period", "12", &error));
  g_assert_no_error (error);

  text = ows_test_read_text (fixture->user);
  root = ows_test_parse_config_text (text);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (root), "lang"), ==, "fr-fr");
  plugin = member_object (root, "PHAL", "ovos-PHAL-plugin-wifi-setup");
  g_assert_false (json_object_get_boolean_member (plugin, "first_boot"));
  g_assert_cmpint (json_object_get_int_member (plugin, "grace_period"), ==, 12);
  g_assert_finalize_object (g_steal_pointer (&config));
}

static void
add_test (const char *name,
          void (*func) (Fixture *, gconstpointer))
{
  g_autofree char *path = g_strconcat ("/ows/config-faults/", name, NULL);

  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down);
}

int
main (int   argc,
      char *argv[])
{
  /* The killed-writer test's child: no test harness, just the loop. */
  if (argc == 3 && g_str_equal (argv[1], WRITER_FLAG))
    return run_writer (argv[2]);

  ows_test_init (&argc, &argv);

  add_test ("killed-writer", test_killed_writer);
  add_test ("read-only-dir", test_read_only_dir);
  add_test ("read-only-home", test_read_only_home);
  add_test ("full-disk", test_full_disk);
  add_test ("pending-written-later", test_pending_written_later);
  add_test ("pending-after-corrupt", test_pending_after_corrupt);

  return g_test_run ();
}
