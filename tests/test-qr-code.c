/* test-qr-code.c: the QR code widget under Xvfb, read back by zbarimg; the WIFI: string.
 * SPDX-License-Identifier: Apache-2.0
 *
 * Each code is drawn in a window at 800x480, saved as a PNG (to look at:
 * $OWS_TEST_SCREENSHOT_DIR, or the build's tests/screenshots) and decoded by
 * zbarimg from Debian's zbar-tools; without it the decoding is skipped.
 */
#include <adwaita.h>
#include <string.h>

#include "config.h"
#include "ows-qr-code.h"
#include "ows-test-peer.h"
#include "ows-test-gtk.h"

#define WIDTH 800
#define HEIGHT 480

/* 32 bytes of UTF-8, the longest SSID; a 63-character password, the longest WPA passphrase. */
#define LONG_SSID "Café ☕ Wohnzimmer-Netz 5GHz 2"
#define LONG_PASSWORD "Tr0ub4dor&3-correct-horse-battery-staple!zX9#qW7@mN5*vB2^kL8%pQ"
#define PASSWORD "hunter2-secret"

typedef struct {
  GtkWidget *window;
  OwsQrCode *code;
} Fixture;

static gboolean
laid_out (gpointer data)
{
  Fixture *f = data;

  return gtk_widget_get_mapped (f->window) && gtk_widget_get_width (f->window) == WIDTH &&
         gtk_widget_get_height (f->window) == HEIGHT;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->window = g_object_ref_sink (gtk_window_new ());
  gtk_window_set_default_size (GTK_WINDOW (f->window), WIDTH, HEIGHT);
  f->code = OWS_QR_CODE (ows_qr_code_new ());
  gtk_window_set_child (GTK_WINDOW (f->window), GTK_WIDGET (f->code));
  gtk_window_present (GTK_WINDOW (f->window));
  if (!ows_test_wait_until (laid_out, f, OWS_TEST_TIMEOUT_MS))
    g_error ("the window is %dx%d, not %dx%d", gtk_widget_get_width (f->window),
             gtk_widget_get_height (f->window), WIDTH, HEIGHT);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_object_add_weak_pointer (G_OBJECT (f->code), (gpointer *) &f->code);
  gtk_window_destroy (GTK_WINDOW (f->window));
  g_assert_finalize_object (f->window);
  g_assert_null (f->code);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
}

static void
test_wifi_text (void)
{
  static const struct {
    const char *ssid;
    const char *password;
    gboolean hidden;
    const char *text;
  } cases[] = {
    { "Home", "secret123", FALSE, "WIFI:T:WPA;S:Home;P:secret123;;" },
    { "Home", "secret123", TRUE, "WIFI:T:WPA;S:Home;P:secret123;H:true;;" },
    { "Cafe", NULL, FALSE, "WIFI:T:nopass;S:Cafe;;" },
    { "Cafe", "", FALSE, "WIFI:T:nopass;S:Cafe;;" },
    { "Cafe", NULL, TRUE, "WIFI:T:nopass;S:Cafe;H:true;;" },
    { "a;b,c:d\"e\\f", "p;a,s:s\"w\\d", FALSE,
      "WIFI:T:WPA;S:a\\;b\\,c\\:d\\\"e\\\\f;P:p\\;a\\,s\\:s\\\"w\\\\d;;" },
    { "Café ☕", "naïve", FALSE, "WIFI:T:WPA;S:Café ☕;P:naïve;;" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = ows_qr_code_wifi_text (cases[i].ssid, cases[i].password,
                                                     cases[i].hidden);

      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

static GskRenderNode *
render_node (GtkWidget *window)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (window);
  GtkSnapshot *snapshot = gtk_snapshot_new ();

  gdk_paintable_snapshot (paintable, snapshot, WIDTH, HEIGHT);
  return gtk_snapshot_free_to_node (snapshot);
}

static gboolean
renders (gpointer data)
{
  g_autoptr(GskRenderNode) node = render_node (data);

  return node != NULL;
}

/* The window as it is drawn; the caller owns the texture. */
static GdkTexture *
render (Fixture *f)
{
  g_autoptr(GskRenderNode) node = NULL;

  /* A window just changed may not have drawn its frame yet. */
  g_assert_true (ows_test_wait_until (laid_out, f, OWS_TEST_TIMEOUT_MS));
  g_assert_true (ows_test_wait_until (renders, f->window, OWS_TEST_TIMEOUT_MS));
  node = render_node (f->window);
  return gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (f->window)), node,
                                      &GRAPHENE_RECT_INIT (0, 0, WIDTH, HEIGHT));
}

static char *
save_png (GdkTexture *texture,
          const char *name)
{
  const char *env_dir = g_getenv ("OWS_TEST_SCREENSHOT_DIR");
  g_autofree char *dir = env_dir != NULL ? g_strdup (env_dir)
                         : g_build_filename (g_getenv ("G_TEST_BUILDDIR"), "screenshots", NULL);
  g_autofree char *file = g_strdup_printf ("qr-code-%s.png", name);
  char *path = g_build_filename (dir, file, NULL);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("%s", path);
  return path;
}

/* What zbarimg reads in the PNG: the code's bytes as they are (-Sbinary: no
 * guessing of a character set), or NULL when zbarimg is not installed. */
static char *
decode (const char *path)
{
  g_autofree char *zbarimg = g_find_program_in_path ("zbarimg");
  const char *argv[] = { zbarimg, "--quiet", "--raw", "-Sbinary", path, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  if (zbarimg == NULL)
    return NULL;
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &out, &err, &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("zbarimg failed on %s: %s", path, err);
  return g_steal_pointer (&out);
}

static void
assert_decodes (Fixture    *f,
                const char *text,
                const char *name)
{
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  g_autofree char *decoded = NULL;

  ows_qr_code_set_text (f->code, text);
  g_assert_cmpstr (ows_qr_code_get_text (f->code), ==, text);
  g_assert_true (ows_test_wait_until (laid_out, f, OWS_TEST_TIMEOUT_MS));
  texture = render (f);
  path = save_png (texture, name);
  decoded = decode (path);
  if (decoded == NULL)
    {
      g_test_skip ("zbarimg (zbar-tools) is not installed");
      return;
    }
  /* With -Sbinary, --raw adds no newline either: the bytes are the code's. */
  g_assert_cmpstr (decoded, ==, text);
}

static void
test_decodes (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *plain = ows_qr_code_wifi_text ("OVOS-4F2A", "7kq9xrhwmc", FALSE);
  g_autofree char *longest = ows_qr_code_wifi_text (LONG_SSID, LONG_PASSWORD, TRUE);
  g_autofree char *escaped = ows_qr_code_wifi_text ("a;b,c:d\"e\\f", "p;a,s:s\"w\\d", FALSE);

  g_assert_cmpuint (strlen (LONG_SSID), ==, 32);
  g_assert_cmpuint (strlen (LONG_PASSWORD), ==, 63);
  assert_decodes (f, plain, "plain");
  assert_decodes (f, longest, "longest");
  assert_decodes (f, escaped, "escaped");
}

static void
assert_size (OwsQrCode *code,
             int        min_expected)
{
  int min_w, nat_w, min_h, nat_h;

  g_assert_cmpint (gtk_widget_get_request_mode (GTK_WIDGET (code)), ==,
                   GTK_SIZE_REQUEST_CONSTANT_SIZE);
  gtk_widget_measure (GTK_WIDGET (code), GTK_ORIENTATION_HORIZONTAL, -1,
                      &min_w, &nat_w, NULL, NULL);
  gtk_widget_measure (GTK_WIDGET (code), GTK_ORIENTATION_VERTICAL, -1,
                      &min_h, &nat_h, NULL, NULL);
  g_assert_cmpint (min_w, ==, min_h);
  g_assert_cmpint (nat_w, ==, nat_h);
  g_assert_cmpint (min_w, >=, min_expected);
  g_assert_cmpint (nat_w, ==, 2 * min_w);
}

static void
test_size (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *text = ows_qr_code_wifi_text (LONG_SSID, LONG_PASSWORD, TRUE);

  /* Nothing to show: no size. */
  assert_size (f->code, 0);
  ows_qr_code_set_text (f->code, "");
  assert_size (f->code, 0);

  /* Version 1 is 21 modules, and four more of quiet zone on each side. */
  ows_qr_code_set_text (f->code, "A");
  assert_size (f->code, (21 + 8) * 4);
  ows_qr_code_set_text (f->code, text);
  assert_size (f->code, (21 + 8) * 4);

  ows_qr_code_set_text (f->code, NULL);
  g_assert_null (ows_qr_code_get_text (f->code));
  assert_size (f->code, 0);
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 guint      *counter)
{
  (*counter)++;
}

/* "text" notifies when it changes, only then. */
static void
test_property (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *text = NULL;
  guint n_notify = 0;

  g_signal_connect (f->code, "notify::text", G_CALLBACK (count_notify_cb), &n_notify);
  g_object_set (f->code, "text", "WIFI:T:nopass;S:Cafe;;", NULL);
  g_assert_cmpuint (n_notify, ==, 1);
  ows_qr_code_set_text (f->code, "WIFI:T:nopass;S:Cafe;;");
  g_assert_cmpuint (n_notify, ==, 1);
  g_object_get (f->code, "text", &text, NULL);
  g_assert_cmpstr (text, ==, "WIFI:T:nopass;S:Cafe;;");
  ows_qr_code_set_text (f->code, NULL);
  g_assert_cmpuint (n_notify, ==, 2);
  g_signal_handlers_disconnect_by_func (f->code, count_notify_cb, &n_notify);
}

/* Too long for a QR code: nothing shown, and the warning names the length only. */
static void
test_too_long (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *text = g_strnfill (4000, 'x');

  g_test_expect_message ("ows-qr-code", G_LOG_LEVEL_WARNING,
                         "Cannot encode 4000 bytes in a QR code");
  ows_qr_code_set_text (f->code, text);
  g_test_assert_expected_messages ();
  g_assert_cmpstr (ows_qr_code_get_text (f->code), ==, text);
  assert_size (f->code, 0);
}

static guint32
pixel (const guchar *data,
       gsize         stride,
       int           x,
       int           y)
{
  guint32 value;

  /* Cairo's ARGB32, native-endian: 0xAARRGGBB. */
  memcpy (&value, data + y * stride + x * 4, sizeof value);
  return value;
}

typedef struct {
  Fixture *f;
  gboolean dark;
} Styled;

/* The window's corner is drawn in the style asked for: the new style sheet is applied. */
static gboolean
window_styled (gpointer data)
{
  Styled *styled = data;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree guchar *pixels = g_malloc (WIDTH * HEIGHT * 4);
  g_autoptr(GskRenderNode) node = render_node (styled->f->window);

  if (node == NULL)
    return FALSE;
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (styled->f->window)),
                                         node, &GRAPHENE_RECT_INIT (0, 0, WIDTH, HEIGHT));
  gdk_texture_download (texture, pixels, WIDTH * 4);
  return ((pixel (pixels, WIDTH * 4, 0, 0) & 0xff) < 0x80) == styled->dark;
}

/* The quiet zone's corner is white, the finder pattern's corner black, in
 * either style. */
static void
test_black_on_white (Fixture       *f,
                     gconstpointer  data)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  g_autofree char *text = ows_qr_code_wifi_text ("OVOS-4F2A", "7kq9xrhwmc", FALSE);
  static const struct {
    AdwColorScheme scheme;
    const char *name;
  } schemes[] = {
    { ADW_COLOR_SCHEME_FORCE_LIGHT, "light" },
    { ADW_COLOR_SCHEME_FORCE_DARK, "dark" },
  };
  int min, nat, modules, px, x0, y0, width, height;

  ows_qr_code_set_text (f->code, text);
  gtk_widget_measure (GTK_WIDGET (f->code), GTK_ORIENTATION_HORIZONTAL, -1, &min, &nat, NULL, NULL);
  modules = nat / 8;
  for (guint i = 0; i < G_N_ELEMENTS (schemes); i++)
    {
      g_autoptr(GdkTexture) texture = NULL;
      g_autofree char *path = NULL;
      g_autofree guchar *pixels = g_malloc (WIDTH * HEIGHT * 4);
      graphene_rect_t bounds;

      Styled styled = { f, i == 1 };

      adw_style_manager_set_color_scheme (style, schemes[i].scheme);
      g_assert_cmpint (adw_style_manager_get_dark (style), ==, styled.dark);
      /* The window's own background follows the style: the code does not. */
      g_assert_true (ows_test_wait_until (window_styled, &styled, OWS_TEST_TIMEOUT_MS));
      g_assert_true (ows_test_wait_until (laid_out, f, OWS_TEST_TIMEOUT_MS));
      texture = render (f);
      path = save_png (texture, schemes[i].name);
      gdk_texture_download (texture, pixels, WIDTH * 4);

      g_assert_true (gtk_widget_compute_bounds (GTK_WIDGET (f->code), f->window, &bounds));
      width = gtk_widget_get_width (GTK_WIDGET (f->code));
      height = gtk_widget_get_height (GTK_WIDGET (f->code));
      px = MIN (width, height) / modules;
      g_assert_cmpint (px, >=, 4);
      x0 = bounds.origin.x + (width - modules * px) / 2;
      y0 = bounds.origin.y + (height - modules * px) / 2;

      g_assert_cmphex (pixel (pixels, WIDTH * 4, x0, y0), ==, 0xffffffff);
      g_assert_cmphex (pixel (pixels, WIDTH * 4, x0 + 4 * px, y0 + 4 * px), ==, 0xff000000);
      g_assert_cmphex (pixel (pixels, WIDTH * 4, x0 + 4 * px - 1, y0 + 4 * px - 1), ==, 0xffffffff);
    }
}

/* The string properties a screen reader may say. */
static const GtkAccessibleProperty string_properties[] = {
  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
  GTK_ACCESSIBLE_PROPERTY_KEY_SHORTCUTS,
  GTK_ACCESSIBLE_PROPERTY_LABEL,
  GTK_ACCESSIBLE_PROPERTY_PLACEHOLDER,
  GTK_ACCESSIBLE_PROPERTY_ROLE_DESCRIPTION,
  GTK_ACCESSIBLE_PROPERTY_VALUE_TEXT,
};

static void
test_accessible (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *text = ows_qr_code_wifi_text ("OVOS-4F2A", PASSWORD, FALSE);
  GtkAccessible *accessible = GTK_ACCESSIBLE (f->code);

  ows_qr_code_set_text (f->code, text);
  gtk_test_accessible_assert_role (f->code, GTK_ACCESSIBLE_ROLE_IMG);
  gtk_test_accessible_assert_property (f->code, GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "QR code to join the Wi-Fi network");
  for (guint i = 0; i < G_N_ELEMENTS (string_properties); i++)
    {
      g_autofree char *value = NULL;

      if (!gtk_test_accessible_has_property (accessible, string_properties[i]))
        continue;
      /* It returns the value when it differs from the one expected. */
      value = gtk_test_accessible_check_property (accessible, string_properties[i], "\x01");
      g_assert_nonnull (value);
      g_assert_null (strstr (value, PASSWORD));
    }
  g_assert_false (gtk_test_accessible_has_property (accessible,
                                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION));
  g_assert_null (gtk_widget_get_tooltip_text (GTK_WIDGET (f->code)));
}

static void
add_test (const char  *path,
          void       (*test) (Fixture *, gconstpointer))
{
  g_test_add (path, Fixture, NULL, fixture_setup, test, fixture_teardown);
}

int
main (int   argc,
      char *argv[])
{
  ows_test_init (&argc, &argv);
  gtk_disable_setlocale ();
  gtk_init ();
  adw_init ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  ows_test_gtk_styles (FALSE);

  g_test_add_func ("/ows/qr-code/wifi-text", test_wifi_text);
  add_test ("/ows/qr-code/decodes", test_decodes);
  add_test ("/ows/qr-code/size", test_size);
  add_test ("/ows/qr-code/property", test_property);
  add_test ("/ows/qr-code/too-long", test_too_long);
  add_test ("/ows/qr-code/black-on-white", test_black_on_white);
  add_test ("/ows/qr-code/accessible", test_accessible);

  return g_test_run ();
}
