/* test-phone-page.c: the phone setup page under Xvfb: its texts, its code, its sizes, screenshots.
 * SPDX-License-Identifier: Apache-2.0
 *
 * The page is shown in a window of the device's sizes, with the classes
 * OwsWindow gives a kiosk there (kiosk, compact, narrow). Each size is
 * saved as a PNG to look at, in $OWS_TEST_SCREENSHOT_DIR or the build's
 * tests/screenshots; the landscape code is read back by zbarimg where it is
 * installed.
 */
#include <adwaita.h>
#include <string.h>

#include "config.h"
#include "ows-phone-page.h"
#if HAVE_QRENCODE
#include "ows-qr-code.h"
#endif
#include "ows-test-gtk.h"
#include "ows-test-peer.h"

#define SSID "OVOS-4F2A"
#define PASSWORD "7kq9xrhwmc"
#define URL "http://10.42.0.1/"
/* The longest: 32 bytes of UTF-8, and a 63-character WPA passphrase. */
#define LONG_SSID "Café ☕ Wohnzimmer-Netz 5GHz 2"
#define LONG_PASSWORD "Tr0ub4dor&3-correct-horse-battery-staple!zX9#qW7@mN5*vB2^kL8%pQ"

typedef struct {
  int width;
  int height;
  GtkTextDirection direction;
  gboolean dark;
  const char *name;
} Size;

static const Size landscape = { 800, 480, GTK_TEXT_DIR_LTR, FALSE, "800x480" };
static const Size portrait = { 480, 800, GTK_TEXT_DIR_LTR, FALSE, "480x800" };
static const Size phone = { 320, 480, GTK_TEXT_DIR_LTR, FALSE, "320x480" };
static const Size landscape_dark = { 800, 480, GTK_TEXT_DIR_LTR, TRUE, "800x480-dark" };
static const Size landscape_rtl = { 800, 480, GTK_TEXT_DIR_RTL, FALSE, "800x480-rtl" };
static const Size portrait_rtl = { 480, 800, GTK_TEXT_DIR_RTL, FALSE, "480x800-rtl" };

typedef struct {
  const Size *size;
  GtkWidget *window;
  OwsPhonePage *page;
  guint n_back;  /* setup.back activated */
} Fixture;

static void
back_cb (GSimpleAction *action,
         GVariant      *parameter,
         gpointer       data)
{
  Fixture *f = data;

  f->n_back++;
}

static gboolean
laid_out (gpointer data)
{
  Fixture *f = data;

  return gtk_widget_get_mapped (f->window) && gtk_widget_get_width (f->window) == f->size->width &&
         gtk_widget_get_height (f->window) == f->size->height &&
         gtk_widget_get_width (GTK_WIDGET (f->page)) > 0;
}

static void
wait_laid_out (Fixture *f)
{
  if (!ows_test_wait_until (laid_out, f, OWS_TEST_TIMEOUT_MS))
    g_error ("the window is %dx%d, not %dx%d", gtk_widget_get_width (f->window),
             gtk_widget_get_height (f->window), f->size->width, f->size->height);
}

/* The window's own background is drawn in the style asked for. */
static gboolean
styled (gpointer data)
{
  Fixture *f = data;
  GtkStyleContext *context = gtk_widget_get_style_context (f->window);
  GdkRGBA bg;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  if (!gtk_style_context_lookup_color (context, "window_bg_color", &bg))
    return TRUE;
  G_GNUC_END_IGNORE_DEPRECATIONS
  return (bg.red < 0.5) == f->size->dark;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->size = data;
  gtk_widget_set_default_direction (f->size->direction);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      f->size->dark ? ADW_COLOR_SCHEME_FORCE_DARK
                                                    : ADW_COLOR_SCHEME_FORCE_LIGHT);
  f->window = g_object_ref_sink (gtk_window_new ());
  /* As OwsWindow styles a kiosk of this size. */
  gtk_widget_add_css_class (f->window, "kiosk");
  if (f->size->height < 600)
    gtk_widget_add_css_class (f->window, "compact");
  if (f->size->width < 400)
    gtk_widget_add_css_class (f->window, "narrow");
  gtk_window_set_default_size (GTK_WINDOW (f->window), f->size->width, f->size->height);
  /* The window's "setup" actions, as OwsWindow has them. */
  {
    g_autoptr(GSimpleActionGroup) group = g_simple_action_group_new ();
    const GActionEntry entries[] = { { "back", back_cb, NULL, NULL, NULL } };

    g_action_map_add_action_entries (G_ACTION_MAP (group), entries, G_N_ELEMENTS (entries), f);
    gtk_widget_insert_action_group (f->window, "setup", G_ACTION_GROUP (group));
  }
  f->page = OWS_PHONE_PAGE (ows_phone_page_new ());
  gtk_window_set_child (GTK_WINDOW (f->window), GTK_WIDGET (f->page));
  gtk_window_present (GTK_WINDOW (f->window));
  wait_laid_out (f);
  g_assert_true (ows_test_wait_until (styled, f, OWS_TEST_TIMEOUT_MS));
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_object_add_weak_pointer (G_OBJECT (f->page), (gpointer *) &f->page);
  gtk_window_destroy (GTK_WINDOW (f->window));
  g_assert_finalize_object (f->window);
  g_assert_null (f->page);
  gtk_widget_set_default_direction (GTK_TEXT_DIR_LTR);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
}

/* The label on screen whose accessible name is @name; NULL where none is. */
static GtkLabel *
labelled (Fixture    *f,
          const char *name)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  ows_test_gtk_collect (f->window, GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    {
      GtkAccessible *accessible = labels->pdata[i];
      g_autofree char *differs = NULL;

      /* A caption's name is its text: the value it names is wanted. */
      if (!gtk_test_accessible_has_property (accessible, GTK_ACCESSIBLE_PROPERTY_LABEL) ||
          g_strcmp0 (gtk_label_get_text (labels->pdata[i]), name) == 0)
        continue;
      differs = gtk_test_accessible_check_property (accessible, GTK_ACCESSIBLE_PROPERTY_LABEL, name);
      if (differs == NULL)
        return labels->pdata[i];
    }
  return NULL;
}

static GtkLabel *
wait_text (Fixture    *f,
           const char *text)
{
  OwsTestGtkText wait = { f->window, text };

  if (!ows_test_wait_until (ows_test_gtk_label_shown, &wait, OWS_TEST_TIMEOUT_MS))
    g_error ("no label reads \"%s\"", text);
  return ows_test_gtk_label_reading (f->window, text);
}

static GtkWidget *
qr_code (Fixture *f)
{
#if HAVE_QRENCODE
  return ows_test_gtk_find (f->window, OWS_TYPE_QR_CODE);
#else
  return NULL;
#endif
}

static void
assert_qr_text (Fixture    *f,
                const char *ssid,
                const char *password)
{
#if HAVE_QRENCODE
  g_autofree char *expected = ows_qr_code_wifi_text (ssid, password, FALSE);
  GtkWidget *code = qr_code (f);

  g_assert_nonnull (code);
  g_assert_true (gtk_widget_get_mapped (code));
  g_assert_cmpstr (ows_qr_code_get_text (OWS_QR_CODE (code)), ==, expected);
#else
  g_assert_null (qr_code (f));
#endif
}

static void
assert_no_hyphens (GtkLabel *label)
{
  PangoAttrList *attributes = gtk_label_get_attributes (label);
  g_autoptr(PangoAttrIterator) iter = NULL;
  PangoAttribute *hyphens;

  g_assert_nonnull (attributes);
  iter = pango_attr_list_get_iterator (attributes);
  hyphens = pango_attr_iterator_get (iter, PANGO_ATTR_INSERT_HYPHENS);
  g_assert_nonnull (hyphens);
  g_assert_false (((PangoAttrInt *) hyphens)->value);
}

static void
test_waiting (Fixture       *f,
              gconstpointer  data)
{
  GtkLabel *ssid, *password;

  ows_phone_page_set_hotspot (f->page, SSID, PASSWORD, URL);
  ows_phone_page_set_status (f->page, OWS_PHONE_PAGE_WAITING, NULL);
  wait_text (f, SSID);

  ssid = labelled (f, "Network name");
  password = labelled (f, "Password");
  g_assert_nonnull (ssid);
  g_assert_nonnull (password);
  g_assert_cmpstr (gtk_label_get_text (ssid), ==, SSID);
  g_assert_cmpstr (gtk_label_get_text (password), ==, PASSWORD);
  g_assert_true (gtk_label_get_selectable (ssid));
  g_assert_true (gtk_label_get_selectable (password));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (password), "monospace"));
  /* Wrapped inside a word, no hyphen appears that is not in the password. */
  assert_no_hyphens (ssid);
  assert_no_hyphens (password);
  /* A screen reader says what it is, then what it reads. */
  gtk_test_accessible_assert_property (ssid, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, SSID);
  gtk_test_accessible_assert_property (password, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, PASSWORD);
  assert_qr_text (f, SSID, PASSWORD);

  /* The steps, the address among them. */
  g_assert_nonnull (ows_test_gtk_label_reading (f->window, "A page opens by itself. If it does not, open " URL
                                " in the phone’s browser."));
  g_assert_nonnull (ows_test_gtk_label_reading (f->window, "Choose your home network and type its password. "
                                "This device switches to it."));
  g_assert_nonnull (ows_test_gtk_label_reading (f->window, "Set Up With a Phone"));
}

static void
test_open_hotspot (Fixture       *f,
                   gconstpointer  data)
{
  GtkLabel *password;

  ows_phone_page_set_hotspot (f->page, SSID, NULL, URL);
  ows_phone_page_set_status (f->page, OWS_PHONE_PAGE_WAITING, NULL);
  wait_text (f, SSID);
  password = labelled (f, "Password");
  g_assert_nonnull (password);
  g_assert_cmpstr (gtk_label_get_text (password), ==, "No password");
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (password), "monospace"));
#if HAVE_QRENCODE
  g_assert_cmpstr (ows_qr_code_get_text (OWS_QR_CODE (qr_code (f))), ==,
                   "WIFI:T:nopass;S:" SSID ";;");
#endif

  /* "" is open too; and a password set again shows again. */
  ows_phone_page_set_hotspot (f->page, SSID, "", URL);
  g_assert_cmpstr (gtk_label_get_text (password), ==, "No password");
  ows_phone_page_set_hotspot (f->page, SSID, PASSWORD, URL);
  g_assert_cmpstr (gtk_label_get_text (password), ==, PASSWORD);
  assert_qr_text (f, SSID, PASSWORD);
}

static gboolean
spinner_spins (gpointer data)
{
  Fixture *f = data;
  g_autoptr(GPtrArray) spinners = g_ptr_array_new ();

  ows_test_gtk_collect (f->window, GTK_TYPE_SPINNER, spinners);
  return spinners->len == 1 && gtk_spinner_get_spinning (spinners->pdata[0]);
}

static gboolean
no_spinner (gpointer data)
{
  Fixture *f = data;
  g_autoptr(GPtrArray) spinners = g_ptr_array_new ();

  ows_test_gtk_collect (f->window, GTK_TYPE_SPINNER, spinners);
  return spinners->len == 0;
}

static void
test_statuses (Fixture       *f,
               gconstpointer  data)
{
  const char *why = "The password of “Home” was wrong. Try again.";

  ows_phone_page_set_hotspot (f->page, SSID, PASSWORD, URL);

  /* A new page is getting ready. */
  wait_text (f, "Getting ready…");
  g_assert_true (ows_test_wait_until (spinner_spins, f, OWS_TEST_TIMEOUT_MS));
  g_assert_nonnull (ows_test_gtk_label_reading (f->window, "Looking for networks nearby before the device starts its own."));
  g_assert_null (labelled (f, "Password"));

  ows_phone_page_set_status (f->page, OWS_PHONE_PAGE_CONNECTING, "Home <b>5G</b>");
  wait_text (f, "Connecting to “Home <b>5G</b>”…");
  g_assert_true (ows_test_wait_until (spinner_spins, f, OWS_TEST_TIMEOUT_MS));
  g_assert_nonnull (ows_test_gtk_label_reading (f->window, "Your phone leaves the setup network now; this is expected."));
  g_assert_null (labelled (f, "Password"));

  ows_phone_page_set_status (f->page, OWS_PHONE_PAGE_RETRY, why);
  wait_text (f, why);
  g_assert_true (ows_test_wait_until (no_spinner, f, OWS_TEST_TIMEOUT_MS));
  g_assert_nonnull (labelled (f, "Password"));
  assert_qr_text (f, SSID, PASSWORD);

  /* Waiting again: the sentence goes. */
  ows_phone_page_set_status (f->page, OWS_PHONE_PAGE_WAITING, NULL);
  wait_text (f, SSID);
  g_assert_null (ows_test_gtk_label_reading (f->window, why));

  ows_phone_page_set_status (f->page, OWS_PHONE_PAGE_PREPARING, NULL);
  wait_text (f, "Getting ready…");
  g_assert_true (ows_test_wait_until (spinner_spins, f, OWS_TEST_TIMEOUT_MS));
}

/* An SSID is any bytes: markup in it is shown as it is. */
static void
test_plain_text (Fixture       *f,
                 gconstpointer  data)
{
  GtkLabel *ssid, *password;

  ows_phone_page_set_hotspot (f->page, "<b>x</b>", "&amp;<i>", "http://10.42.0.1/?a=<b>&c");
  ows_phone_page_set_status (f->page, OWS_PHONE_PAGE_WAITING, NULL);
  wait_text (f, "<b>x</b>");
  ssid = labelled (f, "Network name");
  password = labelled (f, "Password");
  g_assert_false (gtk_label_get_use_markup (ssid));
  g_assert_cmpstr (gtk_label_get_text (ssid), ==, "<b>x</b>");
  g_assert_cmpstr (gtk_label_get_text (password), ==, "&amp;<i>");
  g_assert_nonnull (ows_test_gtk_label_reading (f->window, "A page opens by itself. If it does not, open "
                                "http://10.42.0.1/?a=<b>&c in the phone’s browser."));
  assert_qr_text (f, "<b>x</b>", "&amp;<i>");
}

static GtkWidget *
back_button (Fixture *f)
{
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();

  ows_test_gtk_collect (f->window, GTK_TYPE_BUTTON, buttons);
  for (guint i = 0; i < buttons->len; i++)
    if (g_strcmp0 (gtk_button_get_label (buttons->pdata[i]), "_Back to Choices") == 0)
      return buttons->pdata[i];
  return NULL;
}

/* Every status has the way back, on screen without scrolling. */
static void
test_back (Fixture       *f,
           gconstpointer  data)
{
  ows_phone_page_set_hotspot (f->page, LONG_SSID, LONG_PASSWORD, URL);
  for (OwsPhonePageStatus status = OWS_PHONE_PAGE_PREPARING; status <= OWS_PHONE_PAGE_RETRY; status++)
    {
      GtkWidget *back;
      graphene_rect_t bounds;

      ows_phone_page_set_status (f->page, status, "Home");
      wait_laid_out (f);
      back = back_button (f);
      g_assert_nonnull (back);
      g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (back)), ==, "setup.back");
      g_assert_true (gtk_widget_compute_bounds (back, f->window, &bounds));
      g_assert_cmpfloat (bounds.origin.y, >=, 0);
      g_assert_cmpfloat (bounds.origin.y + bounds.size.height, <=, f->size->height);
      g_assert_cmpfloat (bounds.size.height, >=, 48);
      g_assert_true (gtk_widget_is_sensitive (back));
      g_signal_emit_by_name (back, "clicked");
      g_assert_cmpuint (f->n_back, ==, status + 1);
    }
}

/* Nothing is cut off at the sides; the code is where it should be and big
 * enough to scan. */
static void
assert_fits (Fixture *f)
{
  g_autoptr(GPtrArray) widgets = g_ptr_array_new ();
  int width = gtk_widget_get_width (f->window);
  GtkWidget *code = qr_code (f);
  GtkWidget *ssid = GTK_WIDGET (labelled (f, "Network name"));
  graphene_rect_t bounds, text_bounds;

  ows_test_gtk_collect (f->window, GTK_TYPE_LABEL, widgets);
  ows_test_gtk_collect (f->window, GTK_TYPE_BUTTON, widgets);
  for (guint i = 0; i < widgets->len; i++)
    {
      GtkWidget *widget = widgets->pdata[i];

      g_assert_true (gtk_widget_compute_bounds (widget, f->window, &bounds));
      if (bounds.origin.x < -0.5 || bounds.origin.x + bounds.size.width > width + 0.5)
        g_error ("\"%s\" of %g px at x = %g is cut off by the %d px window",
                 GTK_IS_LABEL (widget) ? gtk_label_get_text (GTK_LABEL (widget)) : "(button)",
                 bounds.size.width, bounds.origin.x, width);
    }
  if (code == NULL)
    return;

  /* The side the code is drawn at, quiet zone included: whole pixels a module. */
  {
    int min, nat, modules, side;

    gtk_widget_measure (code, GTK_ORIENTATION_HORIZONTAL, -1, &min, &nat, NULL, NULL);
    modules = nat / 8;
    side = MIN (gtk_widget_get_width (code), gtk_widget_get_height (code)) / modules * modules;
    g_test_message ("%s: QR code of %d px", f->size->name, side);
    g_assert_cmpint (side, >=, 200);
  }

  g_assert_true (gtk_widget_compute_bounds (code, f->window, &bounds));
  g_assert_true (gtk_widget_compute_bounds (ssid, f->window, &text_bounds));
  g_assert_cmpfloat (bounds.origin.x, >=, 0);
  g_assert_cmpfloat (bounds.origin.x + bounds.size.width, <=, width);
  if (f->size->width > f->size->height)
    {
      /* Beside the steps, on the side a line starts. */
      if (f->size->direction == GTK_TEXT_DIR_RTL)
        g_assert_cmpfloat (bounds.origin.x, >=, text_bounds.origin.x + text_bounds.size.width);
      else
        g_assert_cmpfloat (bounds.origin.x + bounds.size.width, <=, text_bounds.origin.x);
    }
  else
    g_assert_cmpfloat (bounds.origin.y + bounds.size.height, <=, text_bounds.origin.y);
}

/* The window as drawn, as a PNG in @dir; the path. */
static char *
save_png (Fixture    *f,
          const char *dir,
          const char *name)
{
  g_autofree char *file = g_strdup_printf ("phone-page-%s.png", name);
  char *path = g_build_filename (dir, file, NULL);

  wait_laid_out (f);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  ows_test_gtk_save_png (f->window, path);
  g_test_message ("%s", path);
  return path;
}

/* What zbarimg reads in a PNG, or NULL when it is not installed. */
static char *
decode (const char *path)
{
  g_autofree char *zbarimg = g_find_program_in_path ("zbarimg");
  const char *argv[] = { zbarimg, "--quiet", "--raw", "-Sbinary", path, NULL };
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  if (zbarimg == NULL)
    return NULL;
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                               &out, NULL, &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("zbarimg read no code in %s", path);
  return g_steal_pointer (&out);
}

/* The page waiting at this size: it fits, and as a screenshot where asked
 * for. At 800x480 the code on screen is read back, as a phone would. */
static char *
screenshot_dir (void)
{
  const char *dir = g_getenv ("OWS_TEST_SCREENSHOT_DIR");

  return dir != NULL ? g_strdup (dir)
                     : g_build_filename (g_getenv ("G_TEST_BUILDDIR"), "screenshots", NULL);
}

static void
test_layout (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *dir = screenshot_dir ();
  g_autofree char *path = NULL;
  g_autofree char *decoded = NULL;
  gboolean read_back = HAVE_QRENCODE && f->size->width == 800;

  ows_phone_page_set_hotspot (f->page, SSID, PASSWORD, URL);
  ows_phone_page_set_status (f->page, OWS_PHONE_PAGE_WAITING, NULL);
  wait_text (f, SSID);
  wait_laid_out (f);

  path = save_png (f, dir, f->size->name);
#if HAVE_QRENCODE
  if (read_back)
    {
      g_autofree char *expected = ows_qr_code_wifi_text (SSID, PASSWORD, FALSE);

      decoded = decode (path);
      if (decoded != NULL)
        g_assert_cmpstr (decoded, ==, expected);
    }
#endif
  assert_fits (f);

  /* The longest name and password, and a reason to retry, fit too. */
  ows_phone_page_set_hotspot (f->page, LONG_SSID, LONG_PASSWORD, URL);
  ows_phone_page_set_status (f->page, OWS_PHONE_PAGE_RETRY,
                            "“Home” did not accept the password. Join the setup network again "
                            "and try once more.");
  wait_text (f, LONG_SSID);
  wait_laid_out (f);
  {
    g_autofree char *name = g_strconcat (f->size->name, "-retry-long", NULL);
    g_autofree char *other = save_png (f, dir, name);
  }
  assert_fits (f);
}

/* PREPARING and CONNECTING as screenshots. */
static void
test_spinners (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *dir = screenshot_dir ();
  g_autofree char *preparing = NULL;
  g_autofree char *connecting = NULL;

  ows_phone_page_set_hotspot (f->page, SSID, PASSWORD, URL);
  wait_text (f, "Getting ready…");
  preparing = save_png (f, dir, "800x480-preparing");
  ows_phone_page_set_status (f->page, OWS_PHONE_PAGE_CONNECTING, "Home");
  wait_text (f, "Connecting to “Home”…");
  connecting = save_png (f, dir, "800x480-connecting");
}

static void
add_test (const char *path,
          const Size *size,
          void (*func) (Fixture *, gconstpointer))
{
  g_test_add (path, Fixture, size, fixture_setup, func, fixture_teardown);
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
  ows_test_gtk_styles (TRUE);

  add_test ("/ows/phone-page/waiting", &landscape, test_waiting);
  add_test ("/ows/phone-page/open-hotspot", &landscape, test_open_hotspot);
  add_test ("/ows/phone-page/statuses", &landscape, test_statuses);
  add_test ("/ows/phone-page/plain-text", &landscape, test_plain_text);
  add_test ("/ows/phone-page/back-800x480", &landscape, test_back);
  add_test ("/ows/phone-page/back-320x480", &phone, test_back);
  add_test ("/ows/phone-page/layout-800x480", &landscape, test_layout);
  add_test ("/ows/phone-page/layout-480x800", &portrait, test_layout);
  add_test ("/ows/phone-page/layout-320x480", &phone, test_layout);
  add_test ("/ows/phone-page/layout-800x480-dark", &landscape_dark, test_layout);
  add_test ("/ows/phone-page/layout-800x480-rtl", &landscape_rtl, test_layout);
  add_test ("/ows/phone-page/layout-480x800-rtl", &portrait_rtl, test_layout);
  add_test ("/ows/phone-page/spinners", &landscape, test_spinners);

  return g_test_run ();
}
