/* test-keyboard.c: the on-screen keyboard in a real window under Xvfb: typing, keys, layouts, sizes.
 * SPDX-License-Identifier: Apache-2.0
 *
 * A window as the network page has it: a password field, a text field that
 * activates the default button, and the keyboard below. Keys are pressed
 * through their buttons only ("clicked", or a tap through the button's own
 * click gesture), and what they do is read back from the text fields.
 */
#include <adwaita.h>
#include <string.h>

#include "config.h"
#include "ows-keyboard.h"
#include "ows-test-peer.h"
#include "ows-test-gtk.h"

typedef struct {
  int width;
  int height;
  GtkTextDirection direction;
} Size;

static const Size landscape = { 800, 480, GTK_TEXT_DIR_LTR };
static const Size phone = { 320, 480, GTK_TEXT_DIR_LTR };
static const Size landscape_rtl = { 800, 480, GTK_TEXT_DIR_RTL };

typedef struct {
  GtkWidget *window;
  GtkWidget *password;
  GtkWidget *entry;
  GtkWidget *connect;     /* the default widget */
  GtkWidget *other;       /* a button that does take the focus when tapped */
  OwsKeyboard *keyboard;
  int width;
  guint n_connect;
  guint n_entry_activate;
  guint n_hide_requested;
  guint n_layout_notify;
} Fixture;

static void
count_cb (gpointer  instance,
          guint    *counter)
{
  (*counter)++;
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 guint      *counter)
{
  (*counter)++;
}

static GtkWidget *
focus_of (Fixture *f)
{
  return gtk_root_get_focus (GTK_ROOT (f->window));
}

/* In GTK 4 an entry's focus is the GtkText inside it. */
static GtkWidget *
inner_text (GtkWidget *entry)
{
  return GTK_WIDGET (gtk_editable_get_delegate (GTK_EDITABLE (entry)));
}

static void
collect_mapped_keys (GtkWidget *widget,
                     GPtrArray *keys)
{
  if (!gtk_widget_get_mapped (widget))
    return;
  if (GTK_IS_BUTTON (widget))
    {
      g_ptr_array_add (keys, widget);
      return;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_mapped_keys (child, keys);
}

/* The keys of the page on screen. */
static GPtrArray *
keys_on_screen (Fixture *f)
{
  GPtrArray *keys = g_ptr_array_new ();

  collect_mapped_keys (GTK_WIDGET (f->keyboard), keys);
  g_assert_cmpuint (keys->len, >, 30);
  return keys;
}

static gboolean
laid_out (gpointer data)
{
  Fixture *f = data;
  g_autoptr(GPtrArray) keys = g_ptr_array_new ();

  if (!gtk_widget_get_mapped (f->window) || gtk_widget_get_width (f->window) != f->width)
    return FALSE;
  collect_mapped_keys (GTK_WIDGET (f->keyboard), keys);
  for (guint i = 0; i < keys->len; i++)
    if (gtk_widget_get_width (keys->pdata[i]) <= 0)
      return FALSE;
  return keys->len > 0;
}

static void
wait_laid_out (Fixture *f)
{
  if (!ows_test_wait_until (laid_out, f, OWS_TEST_TIMEOUT_MS))
    g_error ("the window is %d px wide and not laid out, not %d px", gtk_widget_get_width (f->window),
             f->width);
}

static gboolean
focus_in_password (gpointer data)
{
  Fixture *f = data;

  return gtk_root_get_focus (GTK_ROOT (f->window)) == inner_text (f->password);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  const Size *size = data;
  GtkWidget *box;

  gtk_widget_set_default_direction (size->direction);
  f->width = size->width;
  f->window = g_object_ref_sink (gtk_window_new ());
  gtk_window_set_default_size (GTK_WINDOW (f->window), size->width, size->height);

  f->password = gtk_password_entry_new ();
  g_object_set (f->password, "activates-default", TRUE, NULL);
  f->entry = gtk_entry_new ();
  gtk_entry_set_activates_default (GTK_ENTRY (f->entry), TRUE);
  f->connect = gtk_button_new_with_label ("Connect");
  f->other = gtk_button_new_with_label ("Other");
  f->keyboard = OWS_KEYBOARD (ows_keyboard_new ());
  gtk_widget_set_vexpand (GTK_WIDGET (f->keyboard), TRUE);
  gtk_widget_set_valign (GTK_WIDGET (f->keyboard), GTK_ALIGN_END);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_box_append (GTK_BOX (box), f->password);
  gtk_box_append (GTK_BOX (box), f->entry);
  gtk_box_append (GTK_BOX (box), f->connect);
  gtk_box_append (GTK_BOX (box), f->other);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (f->keyboard));
  gtk_window_set_child (GTK_WINDOW (f->window), box);
  gtk_window_set_default_widget (GTK_WINDOW (f->window), f->connect);

  g_signal_connect (f->connect, "clicked", G_CALLBACK (count_cb), &f->n_connect);
  g_signal_connect (f->entry, "activate", G_CALLBACK (count_cb), &f->n_entry_activate);
  g_signal_connect (f->keyboard, "hide-requested", G_CALLBACK (count_cb), &f->n_hide_requested);
  g_signal_connect (f->keyboard, "notify::layout", G_CALLBACK (count_notify_cb),
                    &f->n_layout_notify);

  gtk_window_present (GTK_WINDOW (f->window));
  wait_laid_out (f);
  gtk_widget_grab_focus (f->password);
  g_assert_true (ows_test_wait_until (focus_in_password, f, OWS_TEST_TIMEOUT_MS));
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_object_add_weak_pointer (G_OBJECT (f->keyboard), (gpointer *) &f->keyboard);
  gtk_window_destroy (GTK_WINDOW (f->window));
  g_assert_finalize_object (f->window);
  g_assert_null (f->keyboard);
  gtk_widget_set_default_direction (GTK_TEXT_DIR_LTR);
}

static const char *
text_of (GtkWidget *editable)
{
  return gtk_editable_get_text (GTK_EDITABLE (editable));
}

static void
press (Fixture    *f,
       const char *key)
{
  GtkWidget *button = ows_keyboard_get_key (f->keyboard, key);

  if (button == NULL)
    g_error ("no key '%s' on the page on screen", key);
  g_signal_emit_by_name (button, "clicked");
}

/* A finger's tap, through the button's own click gesture: the same code
 * as a real press and release, focus-on-click included. */
static void
tap (GtkWidget *button)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (button);
  double x = gtk_widget_get_width (button) / 2.0;
  double y = gtk_widget_get_height (button) / 2.0;

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_GESTURE_CLICK (controller))
        {
          g_signal_emit_by_name (controller, "pressed", 1, x, y);
          g_signal_emit_by_name (controller, "released", 1, x, y);
          return;
        }
    }
  g_error ("a %s without a click gesture", G_OBJECT_TYPE_NAME (button));
}

static void
test_hello_world (Fixture       *f,
                  gconstpointer  data)
{
  g_assert_true (ows_keyboard_type (f->keyboard, "Hello World!"));
  g_assert_cmpstr (text_of (f->password), ==, "Hello World!");
  g_assert_true (focus_of (f) == inner_text (f->password));

  /* The same, key by key, tapped: Shift lasts for one letter. "!" was on
   * the symbols page. */
  gtk_editable_set_text (GTK_EDITABLE (f->password), "");
  g_assert_null (ows_keyboard_get_key (f->keyboard, "shift"));
  tap (ows_keyboard_get_key (f->keyboard, "letters"));
  tap (ows_keyboard_get_key (f->keyboard, "shift"));
  for (const char *c = "Hello"; *c != '\0'; c++)
    {
      char key[2] = { *c, '\0' };

      tap (ows_keyboard_get_key (f->keyboard, key));
    }
  tap (ows_keyboard_get_key (f->keyboard, "space"));
  g_assert_cmpstr (text_of (f->password), ==, "Hello ");
  g_assert_true (focus_of (f) == inner_text (f->password));
}

static void
test_every_ascii (Fixture       *f,
                  gconstpointer  data)
{
  char all[0x7f - 0x20 + 1] = { 0 };
  g_autofree char *reversed = NULL;

  for (char c = 0x20; c < 0x7f; c++)
    {
      char text[2] = { c, '\0' };

      all[c - 0x20] = c;
      gtk_editable_set_text (GTK_EDITABLE (f->password), "");
      if (!ows_keyboard_type (f->keyboard, text))
        g_error ("no key for '%s' (0x%02x)", text, c);
      g_assert_cmpstr (text_of (f->password), ==, text);
    }

  /* In one go, and backwards: every page change and Shift from any state. */
  gtk_editable_set_text (GTK_EDITABLE (f->password), "");
  g_assert_true (ows_keyboard_type (f->keyboard, all));
  g_assert_cmpstr (text_of (f->password), ==, all);
  reversed = g_strreverse (g_strdup (all));
  gtk_editable_set_text (GTK_EDITABLE (f->entry), "");
  gtk_widget_grab_focus (f->entry);
  g_assert_true (ows_keyboard_type (f->keyboard, reversed));
  g_assert_cmpstr (text_of (f->entry), ==, reversed);
  g_assert_true (focus_of (f) == inner_text (f->entry));
}

/* No key, nothing typed, not even the characters before it. */
static void
test_not_on_keyboard (Fixture       *f,
                      gconstpointer  data)
{
  static const char *untypable[] = { "caf\xc3\xa9", "a\tb", "a\nb", "\x7f", "\xe2\x82\xac" };

  for (guint i = 0; i < G_N_ELEMENTS (untypable); i++)
    {
      g_assert_false (ows_keyboard_type (f->keyboard, untypable[i]));
      g_assert_cmpstr (text_of (f->password), ==, "");
    }
  g_assert_true (ows_keyboard_type (f->keyboard, ""));
  g_assert_cmpstr (text_of (f->password), ==, "");
}

static void
test_cursor_and_selection (Fixture       *f,
                           gconstpointer  data)
{
  GtkEditable *password = GTK_EDITABLE (f->password);

  gtk_editable_set_text (password, "ac");
  gtk_editable_set_position (password, 1);
  press (f, "b");
  g_assert_cmpstr (text_of (f->password), ==, "abc");
  g_assert_cmpint (gtk_editable_get_position (password), ==, 2);

  gtk_editable_select_region (password, 0, 2);
  press (f, "x");
  g_assert_cmpstr (text_of (f->password), ==, "xc");
  g_assert_cmpint (gtk_editable_get_position (password), ==, 1);

  /* After a character of more than one byte too. */
  gtk_editable_set_text (password, "\xc3\xa9\xc3\xa9");
  gtk_editable_set_position (password, 1);
  press (f, "space");
  g_assert_cmpstr (text_of (f->password), ==, "\xc3\xa9 \xc3\xa9");
}

static void
test_backspace (Fixture       *f,
                gconstpointer  data)
{
  GtkEditable *password = GTK_EDITABLE (f->password);

  gtk_editable_set_text (password, "abc");
  gtk_editable_set_position (password, -1);
  press (f, "backspace");
  g_assert_cmpstr (text_of (f->password), ==, "ab");
  g_assert_cmpint (gtk_editable_get_position (password), ==, 2);

  gtk_editable_set_position (password, 1);
  press (f, "backspace");
  g_assert_cmpstr (text_of (f->password), ==, "b");
  press (f, "backspace");
  g_assert_cmpstr (text_of (f->password), ==, "b");

  /* A whole character, not its last byte. */
  gtk_editable_set_text (password, "a\xc3\xa9");
  gtk_editable_set_position (password, -1);
  press (f, "backspace");
  g_assert_cmpstr (text_of (f->password), ==, "a");

  /* The selection, and nothing before it. */
  gtk_editable_set_text (password, "hello");
  gtk_editable_select_region (password, 1, 4);
  press (f, "backspace");
  g_assert_cmpstr (text_of (f->password), ==, "ho");
  g_assert_cmpint (gtk_editable_get_position (password), ==, 1);

  /* On the symbol pages too. */
  press (f, "symbols");
  press (f, "backspace");
  g_assert_cmpstr (text_of (f->password), ==, "o");
}

static gboolean
connect_clicked_twice (gpointer data)
{
  Fixture *f = data;

  return f->n_connect == 2;
}

static gboolean
connect_clicked (gpointer data)
{
  Fixture *f = data;

  return f->n_connect == 1;
}

static gboolean
connect_clicked_again (gpointer data)
{
  Fixture *f = data;

  return f->n_connect > 2;
}

/* A button activates with a visible press: "clicked" comes 250 ms later. */
static void
test_enter (Fixture       *f,
            gconstpointer  data)
{
  gtk_widget_grab_focus (f->entry);
  press (f, "enter");
  g_assert_cmpuint (f->n_entry_activate, ==, 1);
  g_assert_true (ows_test_wait_until (connect_clicked, f, OWS_TEST_TIMEOUT_MS));

  gtk_widget_grab_focus (f->password);
  press (f, "enter");
  g_assert_true (ows_test_wait_until (connect_clicked_twice, f, OWS_TEST_TIMEOUT_MS));
  g_assert_cmpuint (f->n_entry_activate, ==, 1);
  g_assert_cmpstr (text_of (f->password), ==, "");

  /* Without a text field focused, the keys do nothing. */
  gtk_widget_grab_focus (f->other);
  press (f, "enter");
  g_assert_true (ows_keyboard_type (f->keyboard, "ab"));
  /* (Longer than a button's activation takes.) */
  g_assert_false (ows_test_wait_until (connect_clicked_again, f, 400));
  g_assert_cmpstr (text_of (f->password), ==, "");
  g_assert_cmpstr (text_of (f->entry), ==, "");
}

typedef struct {
  GString *typed;
  guint n_delete;
  guint n_activate;
  gboolean handle;
} Untargeted;

static gboolean
untargeted_insert_cb (OwsKeyboard *keyboard,
                      const char  *text,
                      Untargeted  *u)
{
  g_string_append (u->typed, text);
  return u->handle;
}

static gboolean
untargeted_delete_cb (OwsKeyboard *keyboard,
                      Untargeted  *u)
{
  u->n_delete++;
  return u->handle;
}

static gboolean
untargeted_activate_cb (OwsKeyboard *keyboard,
                        Untargeted  *u)
{
  u->n_activate++;
  return u->handle;
}

/* With no text field focused (a web page's), the keys go to the host's
 * handlers; with one, to the field alone, as before. */
static void
test_untargeted (Fixture       *f,
                 gconstpointer  data)
{
  Untargeted u = { g_string_new (NULL), 0, 0, TRUE };

  g_signal_connect (f->keyboard, "insert-text", G_CALLBACK (untargeted_insert_cb), &u);
  g_signal_connect (f->keyboard, "delete-backward", G_CALLBACK (untargeted_delete_cb), &u);
  g_signal_connect (f->keyboard, "activate-target", G_CALLBACK (untargeted_activate_cb), &u);

  g_assert_true (ows_keyboard_type (f->keyboard, "Ab 1"));
  press (f, "backspace");
  g_assert_cmpstr (text_of (f->password), ==, "Ab ");
  g_assert_cmpstr (u.typed->str, ==, "");
  g_assert_cmpuint (u.n_delete + u.n_activate, ==, 0);

  gtk_widget_grab_focus (f->other);
  press (f, "letters");
  g_assert_true (ows_keyboard_type (f->keyboard, "Hi, {x}!"));
  press (f, "backspace");
  press (f, "enter");
  g_assert_cmpstr (u.typed->str, ==, "Hi, {x}!");
  g_assert_cmpuint (u.n_delete, ==, 1);
  g_assert_cmpuint (u.n_activate, ==, 1);
  /* Enter went to the handler, not to the window's default widget. */
  g_assert_false (ows_test_wait_until (connect_clicked, f, 400));
  g_assert_true (focus_of (f) == f->other);

  /* Unhandled, nothing happens anywhere. */
  u.handle = FALSE;
  press (f, "backspace");
  g_assert_cmpuint (u.n_delete, ==, 2);
  g_assert_cmpstr (text_of (f->password), ==, "Ab ");
  g_string_free (u.typed, TRUE);
}

static void
test_shift (Fixture       *f,
            gconstpointer  data)
{
  GtkWidget *shift = ows_keyboard_get_key (f->keyboard, "shift");
  GtkWidget *a = ows_keyboard_get_key (f->keyboard, "a");

  gtk_test_accessible_assert_state (shift, GTK_ACCESSIBLE_STATE_PRESSED,
                                    GTK_ACCESSIBLE_TRISTATE_FALSE);
  press (f, "shift");
  gtk_test_accessible_assert_state (shift, GTK_ACCESSIBLE_STATE_PRESSED,
                                    GTK_ACCESSIBLE_TRISTATE_TRUE);
  g_assert_null (ows_keyboard_get_key (f->keyboard, "a"));
  g_assert_true (ows_keyboard_get_key (f->keyboard, "A") == a);
  gtk_test_accessible_assert_property (a, GTK_ACCESSIBLE_PROPERTY_LABEL, "A");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (gtk_button_get_child (GTK_BUTTON (a)))), ==, "A");

  /* One-shot: one capital, then small letters again. */
  press (f, "A");
  press (f, "b");
  g_assert_cmpstr (text_of (f->password), ==, "Ab");
  g_assert_true (ows_keyboard_get_key (f->keyboard, "a") == a);
  gtk_test_accessible_assert_property (a, GTK_ACCESSIBLE_PROPERTY_LABEL, "a");
  gtk_test_accessible_assert_state (shift, GTK_ACCESSIBLE_STATE_PRESSED,
                                    GTK_ACCESSIBLE_TRISTATE_FALSE);

  /* Digits and symbols do not use up Shift. */
  press (f, "shift");
  press (f, "symbols");
  press (f, "1");
  press (f, "letters");
  press (f, "C");
  g_assert_cmpstr (text_of (f->password), ==, "Ab1C");

  /* A second tap locks it, a third unlocks it. */
  press (f, "shift");
  press (f, "shift");
  g_assert_true (gtk_widget_has_css_class (shift, "locked"));
  press (f, "D");
  press (f, "E");
  press (f, "shift");
  press (f, "f");
  g_assert_cmpstr (text_of (f->password), ==, "Ab1CDEf");
}

static void
test_keys_keep_focus (Fixture       *f,
                      gconstpointer  data)
{
  static const char *pages[] = { "letters", "symbols", "more-symbols" };

  /* A tap moves the focus to an ordinary button: the check can fail. */
  tap (f->other);
  g_assert_true (focus_of (f) == f->other);
  gtk_widget_grab_focus (f->password);
  g_assert_true (focus_of (f) == inner_text (f->password));

  for (guint p = 0; p < G_N_ELEMENTS (pages); p++)
    {
      g_autoptr(GPtrArray) keys = NULL;

      if (p == 1)
        press (f, "symbols");
      else if (p == 2)
        press (f, "more-symbols");
      keys = keys_on_screen (f);
      for (guint i = 0; i < keys->len; i++)
        {
          g_assert_false (gtk_widget_get_focusable (keys->pdata[i]));
          g_assert_false (gtk_widget_get_focus_on_click (keys->pdata[i]));
          g_assert_false (gtk_widget_grab_focus (keys->pdata[i]));
        }
    }
  press (f, "letters");

  tap (ows_keyboard_get_key (f->keyboard, "q"));
  tap (ows_keyboard_get_key (f->keyboard, "symbols"));
  tap (ows_keyboard_get_key (f->keyboard, "7"));
  tap (ows_keyboard_get_key (f->keyboard, "backspace"));
  tap (ows_keyboard_get_key (f->keyboard, "letters"));
  tap (ows_keyboard_get_key (f->keyboard, "w"));
  g_assert_cmpstr (text_of (f->password), ==, "qw");
  g_assert_true (focus_of (f) == inner_text (f->password));
  g_assert_cmpint (gtk_editable_get_position (GTK_EDITABLE (f->password)), ==, 2);
}

typedef struct {
  char letter;
  graphene_rect_t bounds;
} Placed;

static int
compare_placed (gconstpointer a,
                gconstpointer b)
{
  const Placed *pa = a, *pb = b;

  if (!G_APPROX_VALUE (pa->bounds.origin.y, pb->bounds.origin.y, 0.5))
    return pa->bounds.origin.y < pb->bounds.origin.y ? -1 : 1;
  return pa->bounds.origin.x < pb->bounds.origin.x ? -1 : 1;
}

/* The letters as they are on screen: rows top to bottom, each left to
 * right, a space between rows. */
static char *
letters_on_screen (Fixture *f)
{
  Placed placed[26];
  GString *text = g_string_new (NULL);

  wait_laid_out (f);
  for (int i = 0; i < 26; i++)
    {
      char key[2] = { 'a' + i, '\0' };
      GtkWidget *button = ows_keyboard_get_key (f->keyboard, key);

      g_assert_nonnull (button);
      placed[i].letter = key[0];
      g_assert_true (gtk_widget_compute_bounds (button, f->window, &placed[i].bounds));
    }
  qsort (placed, 26, sizeof placed[0], compare_placed);
  for (int i = 0; i < 26; i++)
    {
      if (i > 0 && !G_APPROX_VALUE (placed[i].bounds.origin.y, placed[i - 1].bounds.origin.y, 0.5))
        g_string_append_c (text, ' ');
      g_string_append_c (text, placed[i].letter);
    }
  return g_string_free (text, FALSE);
}

static void
assert_rows (Fixture    *f,
             const char *rows)
{
  g_autofree char *text = letters_on_screen (f);

  g_assert_cmpstr (text, ==, rows);
}

static void
test_layouts (Fixture       *f,
              gconstpointer  data)
{
  graphene_rect_t y_bounds, z_bounds, q_bounds, a_bounds;

  ows_keyboard_set_language (f->keyboard, "en_GB.UTF-8");
  assert_rows (f, "qwertyuiop asdfghjkl zxcvbnm");
  g_assert_true (gtk_widget_compute_bounds (ows_keyboard_get_key (f->keyboard, "y"), f->window,
                                            &y_bounds));
  g_assert_true (gtk_widget_compute_bounds (ows_keyboard_get_key (f->keyboard, "q"), f->window,
                                            &q_bounds));
  f->n_layout_notify = 0;

  ows_keyboard_set_language (f->keyboard, "de_DE.UTF-8");
  g_assert_cmpint (ows_keyboard_get_layout (f->keyboard), ==, OWS_KEYBOARD_LAYOUT_QWERTZ);
  g_assert_cmpuint (f->n_layout_notify, ==, 1);
  assert_rows (f, "qwertzuiop asdfghjkl yxcvbnm");
  g_assert_true (gtk_widget_compute_bounds (ows_keyboard_get_key (f->keyboard, "z"), f->window,
                                            &z_bounds));
  g_assert_true (graphene_rect_equal (&y_bounds, &z_bounds));
  ows_keyboard_set_language (f->keyboard, "de");
  g_assert_cmpuint (f->n_layout_notify, ==, 1);

  ows_keyboard_set_language (f->keyboard, "fr");
  g_assert_cmpint (ows_keyboard_get_layout (f->keyboard), ==, OWS_KEYBOARD_LAYOUT_AZERTY);
  g_assert_cmpuint (f->n_layout_notify, ==, 2);
  assert_rows (f, "azertyuiop qsdfghjklm wxcvbn");
  g_assert_true (gtk_widget_compute_bounds (ows_keyboard_get_key (f->keyboard, "a"), f->window,
                                            &a_bounds));
  g_assert_true (graphene_rect_equal (&q_bounds, &a_bounds));

  /* The new keys type, and Shift holds across the change. */
  press (f, "shift");
  ows_keyboard_set_language (f->keyboard, "de_CH");
  g_assert_true (ows_keyboard_type (f->keyboard, "Zy"));
  g_assert_cmpstr (text_of (f->password), ==, "Zy");

  g_object_set (f->keyboard, "layout", OWS_KEYBOARD_LAYOUT_QWERTY, NULL);
  assert_rows (f, "qwertyuiop asdfghjkl zxcvbnm");
}

static void
test_layout_for_language (void)
{
  static const struct {
    const char *language;
    OwsKeyboardLayout layout;
  } cases[] = {
    { "C", OWS_KEYBOARD_LAYOUT_QWERTY },
    { "POSIX", OWS_KEYBOARD_LAYOUT_QWERTY },
    { "", OWS_KEYBOARD_LAYOUT_QWERTY },
    { "en_US.UTF-8", OWS_KEYBOARD_LAYOUT_QWERTY },
    { "de", OWS_KEYBOARD_LAYOUT_QWERTZ },
    { "de_DE.UTF-8", OWS_KEYBOARD_LAYOUT_QWERTZ },
    { "de_AT@euro", OWS_KEYBOARD_LAYOUT_QWERTZ },
    { "DE-ch", OWS_KEYBOARD_LAYOUT_QWERTZ },
    { "fr", OWS_KEYBOARD_LAYOUT_AZERTY },
    { "fr_FR", OWS_KEYBOARD_LAYOUT_AZERTY },
    { "fr_BE.UTF-8", OWS_KEYBOARD_LAYOUT_AZERTY },
    { "fr_CA.UTF-8", OWS_KEYBOARD_LAYOUT_QWERTY },
    { "fr-ch", OWS_KEYBOARD_LAYOUT_QWERTZ },
    { "nl_NL", OWS_KEYBOARD_LAYOUT_QWERTY },
    { "nl_BE", OWS_KEYBOARD_LAYOUT_AZERTY },
    { "cs_CZ.UTF-8", OWS_KEYBOARD_LAYOUT_QWERTZ },
    { "es_ES.UTF-8", OWS_KEYBOARD_LAYOUT_QWERTY },
    { "frr_DE", OWS_KEYBOARD_LAYOUT_QWERTY },
  };
  GtkWidget *keyboard;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    if (ows_keyboard_layout_for_language (cases[i].language) != cases[i].layout)
      g_error ("'%s' gives layout %d, not %d", cases[i].language,
               ows_keyboard_layout_for_language (cases[i].language), cases[i].layout);

  /* By default, the user's first language: main() made it German. */
  g_assert_cmpint (ows_keyboard_layout_for_language (NULL), ==, OWS_KEYBOARD_LAYOUT_QWERTZ);
  keyboard = g_object_ref_sink (ows_keyboard_new ());
  g_assert_cmpint (ows_keyboard_get_layout (OWS_KEYBOARD (keyboard)), ==,
                   OWS_KEYBOARD_LAYOUT_QWERTZ);
  ows_keyboard_set_language (OWS_KEYBOARD (keyboard), "fr");
  ows_keyboard_set_language (OWS_KEYBOARD (keyboard), NULL);
  g_assert_cmpint (ows_keyboard_get_layout (OWS_KEYBOARD (keyboard)), ==,
                   OWS_KEYBOARD_LAYOUT_QWERTZ);
  g_assert_finalize_object (keyboard);
}

typedef struct {
  const char *key;
  const char *name;
} Spoken;

static const Spoken spoken[] = {
  { "shift", "Shift" },
  { "backspace", "Backspace" },
  { "space", "Space" },
  { "enter", "Enter" },
  { "hide", "Hide Keyboard" },
  { "symbols", "Symbols" },
  { "a", "a" },
  { ",", "Comma" },
  { ".", "Full stop" },
};

static const Spoken spoken_symbols[] = {
  { "letters", "Letters" },
  { "more-symbols", "More Symbols" },
  { "1", "1" },
  { "0", "0" },
  { "!", "Exclamation mark" },
  { "\"", "Quotation mark" },
  { "#", "Number sign" },
  { "$", "Dollar sign" },
  { "&", "Ampersand" },
  { "'", "Apostrophe" },
  { "_", "Underscore" },
};

static const Spoken spoken_more_symbols[] = {
  { "%", "Percent sign" },
  { "~", "Tilde" },
  { "\\", "Backslash" },
  { "`", "Grave accent" },
  { "symbols", "Symbols" },
};

static void
assert_spoken (Fixture      *f,
               const Spoken *names,
               guint         n_names)
{
  for (guint i = 0; i < n_names; i++)
    {
      GtkWidget *key = ows_keyboard_get_key (f->keyboard, names[i].key);

      g_assert_nonnull (key);
      gtk_test_accessible_assert_property (key, GTK_ACCESSIBLE_PROPERTY_LABEL, names[i].name);
    }
}

/* Every key a button with a name: symbols by their names, not as
 * punctuation a screen reader skips. */
static void
assert_keys_named (Fixture    *f,
                   GHashTable *names)
{
  g_autoptr(GPtrArray) keys = keys_on_screen (f);

  for (guint i = 0; i < keys->len; i++)
    {
      GtkWidget *key = keys->pdata[i];
      GtkWidget *child = gtk_button_get_child (GTK_BUTTON (key));
      g_autofree char *name = NULL;

      gtk_test_accessible_assert_role (key, GTK_ACCESSIBLE_ROLE_BUTTON);
      g_assert_true (gtk_test_accessible_has_property (GTK_ACCESSIBLE (key),
                                                       GTK_ACCESSIBLE_PROPERTY_LABEL));
      name = gtk_test_accessible_check_property (GTK_ACCESSIBLE (key),
                                                 GTK_ACCESSIBLE_PROPERTY_LABEL, "");
      g_assert_nonnull (name);
      g_assert_cmpstr (name, !=, "");
      if (GTK_IS_LABEL (child))
        {
          const char *shown = gtk_label_get_text (GTK_LABEL (child));

          /* "_" shows as itself: no mnemonics. */
          g_assert_false (gtk_label_get_use_underline (GTK_LABEL (child)));
          if (strlen (shown) == 1 && g_ascii_ispunct (shown[0]))
            g_assert_cmpstr (name, !=, shown);
          if (strlen (shown) == 1)
            g_hash_table_add (names, g_steal_pointer (&name));
        }
    }
}

static void
test_accessible_names (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  gtk_test_accessible_assert_role (f->keyboard, GTK_ACCESSIBLE_ROLE_GROUP);
  assert_keys_named (f, names);
  assert_spoken (f, spoken, G_N_ELEMENTS (spoken));
  press (f, "symbols");
  assert_keys_named (f, names);
  assert_spoken (f, spoken_symbols, G_N_ELEMENTS (spoken_symbols));
  press (f, "more-symbols");
  assert_keys_named (f, names);
  assert_spoken (f, spoken_more_symbols, G_N_ELEMENTS (spoken_more_symbols));
  /* 26 letters, 10 digits, 32 symbols, each named differently. */
  g_assert_cmpuint (g_hash_table_size (names), ==, 26 + 10 + 32);
}

static void
assert_sizes (Fixture *f,
              int      min_width)
{
  g_autoptr(GPtrArray) keys = keys_on_screen (f);
  graphene_rect_t bounds;

  g_assert_cmpint (gtk_widget_get_width (f->window), ==, f->width);
  for (guint i = 0; i < keys->len; i++)
    {
      g_assert_true (gtk_widget_compute_bounds (keys->pdata[i], f->window, &bounds));
      g_assert_cmpfloat (bounds.size.height, >=, 48);
      g_assert_cmpfloat (bounds.size.width, >=, min_width);
      g_assert_cmpfloat (bounds.origin.x, >=, 0);
      g_assert_cmpfloat (bounds.origin.x + bounds.size.width, <=, f->width);
      g_assert_cmpfloat (bounds.origin.y + bounds.size.height, <=,
                         gtk_widget_get_height (f->window));
    }
  g_assert_true (gtk_widget_compute_bounds (GTK_WIDGET (f->keyboard), f->window, &bounds));
  g_assert_cmpfloat (bounds.size.width, <=, f->width);
  g_assert_cmpfloat (bounds.size.height, <=, 240);
}

static void
assert_sizes_all_pages (Fixture *f,
                        int      min_width)
{
  assert_sizes (f, min_width);
  press (f, "shift");
  wait_laid_out (f);
  assert_sizes (f, min_width);
  press (f, "symbols");
  wait_laid_out (f);
  assert_sizes (f, min_width);
  press (f, "more-symbols");
  wait_laid_out (f);
  assert_sizes (f, min_width);
}

/* 800×480: keys a finger can hit, the keyboard half the screen at most. */
static void
test_size_landscape (Fixture       *f,
                     gconstpointer  data)
{
  assert_sizes_all_pages (f, 40);
}

/* A phone's 320 px: narrower keys, nothing cut off. */
static void
test_size_phone (Fixture       *f,
                 gconstpointer  data)
{
  assert_sizes_all_pages (f, 20);
}

/* A Latin keyboard in a right-to-left locale: still q before w. */
static void
test_rtl (Fixture       *f,
          gconstpointer  data)
{
  graphene_rect_t backspace, m;

  g_assert_cmpint (gtk_widget_get_direction (f->password), ==, GTK_TEXT_DIR_RTL);
  ows_keyboard_set_language (f->keyboard, "en");
  assert_rows (f, "qwertyuiop asdfghjkl zxcvbnm");
  g_assert_true (gtk_widget_compute_bounds (ows_keyboard_get_key (f->keyboard, "backspace"),
                                            f->window, &backspace));
  g_assert_true (gtk_widget_compute_bounds (ows_keyboard_get_key (f->keyboard, "m"), f->window, &m));
  g_assert_cmpfloat (backspace.origin.x, >, m.origin.x);
  g_assert_true (ows_keyboard_type (f->keyboard, "Hello!"));
  g_assert_cmpstr (text_of (f->password), ==, "Hello!");
}

static void
test_hide (Fixture       *f,
           gconstpointer  data)
{
  tap (ows_keyboard_get_key (f->keyboard, "hide"));
  g_assert_cmpuint (f->n_hide_requested, ==, 1);
  /* The window decides: the keyboard does not hide itself. */
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (f->keyboard)));
  g_assert_true (focus_of (f) == inner_text (f->password));

  /* Shown again, it starts on the letters, unshifted. */
  press (f, "shift");
  press (f, "symbols");
  gtk_widget_set_visible (GTK_WIDGET (f->keyboard), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (f->keyboard), TRUE);
  g_assert_nonnull (ows_keyboard_get_key (f->keyboard, "a"));
  g_assert_null (ows_keyboard_get_key (f->keyboard, "1"));
}

/* Screenshots, to look at: $OWS_TEST_SCREENSHOT_DIR, or the build's
 * tests/screenshots. */
static void
save_screenshot (Fixture    *f,
                 const char *name)
{
  const char *env_dir = g_getenv ("OWS_TEST_SCREENSHOT_DIR");
  g_autofree char *dir = env_dir != NULL ? g_strdup (env_dir)
                         : g_build_filename (g_getenv ("G_TEST_BUILDDIR"), "screenshots", NULL);
  g_autofree char *file = g_strdup_printf ("keyboard-%s.png", name);
  g_autofree char *path = g_build_filename (dir, file, NULL);

  wait_laid_out (f);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  ows_test_gtk_save_png (f->window, path);
  g_test_message ("%s", path);
}

static void
shoot_pages (Fixture    *f,
             const char *name)
{
  g_autofree char *letters = g_strdup_printf ("%s-letters", name);
  g_autofree char *shifted = g_strdup_printf ("%s-shifted", name);
  g_autofree char *symbols = g_strdup_printf ("%s-symbols", name);
  g_autofree char *more = g_strdup_printf ("%s-more-symbols", name);

  ows_keyboard_type (f->keyboard, "Pa55");
  press (f, "letters");
  save_screenshot (f, letters);
  press (f, "shift");
  save_screenshot (f, shifted);
  press (f, "shift");
  press (f, "shift");
  press (f, "symbols");
  save_screenshot (f, symbols);
  press (f, "more-symbols");
  save_screenshot (f, more);
  press (f, "letters");
}

static void
test_screenshots (Fixture       *f,
                  gconstpointer  data)
{
  const Size *size = data;
  AdwStyleManager *style = adw_style_manager_get_default ();
  g_autofree char *name = g_strdup_printf ("%dx%d%s", size->width, size->height,
                                           size->direction == GTK_TEXT_DIR_RTL ? "-rtl" : "");
  g_autofree char *dark = g_strdup_printf ("%s-dark", name);

  ows_keyboard_set_language (f->keyboard, "en");
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_LIGHT);
  shoot_pages (f, name);
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  shoot_pages (f, dark);
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
}

static void
add_test (const char  *path,
          const Size  *size,
          void       (*test) (Fixture *, gconstpointer))
{
  g_test_add (path, Fixture, size, fixture_setup, test, fixture_teardown);
}

int
main (int   argc,
      char *argv[])
{
  /* The keyboard's language is the test's, not the machine's: German, so
   * that the default layout is not the fallback's. In the C locale, which
   * reads no translations, key names stay English. */
  g_setenv ("LANGUAGE", "de_DE:en_US", TRUE);
  ows_test_init (&argc, &argv);
  gtk_disable_setlocale ();
  gtk_init ();
  adw_init ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  ows_test_gtk_styles (TRUE);

  add_test ("/ows/keyboard/hello-world", &landscape, test_hello_world);
  add_test ("/ows/keyboard/every-ascii", &landscape, test_every_ascii);
  add_test ("/ows/keyboard/not-on-keyboard", &landscape, test_not_on_keyboard);
  add_test ("/ows/keyboard/cursor-and-selection", &landscape, test_cursor_and_selection);
  add_test ("/ows/keyboard/backspace", &landscape, test_backspace);
  add_test ("/ows/keyboard/enter", &landscape, test_enter);
  add_test ("/ows/keyboard/shift", &landscape, test_shift);
  add_test ("/ows/keyboard/untargeted", &landscape, test_untargeted);
  add_test ("/ows/keyboard/keys-keep-focus", &landscape, test_keys_keep_focus);
  add_test ("/ows/keyboard/layouts", &landscape, test_layouts);
  g_test_add_func ("/ows/keyboard/layout-for-language", test_layout_for_language);
  add_test ("/ows/keyboard/accessible-names", &landscape, test_accessible_names);
  add_test ("/ows/keyboard/size-800x480", &landscape, test_size_landscape);
  add_test ("/ows/keyboard/size-320x480", &phone, test_size_phone);
  add_test ("/ows/keyboard/rtl", &landscape_rtl, test_rtl);
  add_test ("/ows/keyboard/hide", &landscape, test_hide);
  add_test ("/ows/keyboard/screenshots-800x480", &landscape, test_screenshots);
  add_test ("/ows/keyboard/screenshots-320x480", &phone, test_screenshots);
  add_test ("/ows/keyboard/screenshots-800x480-rtl", &landscape_rtl, test_screenshots);

  return g_test_run ();
}
