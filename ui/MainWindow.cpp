#include "MainWindow.h"

#include "CoreBridge.h"
#include "credits/CreditsDashboard.h"
#include "upscale/UpscaleReviewView.h"
#include "export/ExportDialog.h"
#include "filters/FilterBar.h"
#include "gallery/CullingController.h"
#include "gallery/GalleryModel.h"
#include "gallery/GalleryView.h"
#include "generate/GenerationPanel.h"
#include "import/ImportStatusWidget.h"
#include "inpaint/InpaintView.h"
#include "inpaint/MaskCanvas.h"
#include "inspector/AssetInspector.h"
#include "loupe/CurationViews.h"
#include "motion/MotionView.h"
#include "queue/JobLane.h"
#include "queue/JobStatusWidget.h"
#include "queue/QueueView.h"
#include "recipes/RecipesView.h"
#include "settings/KeyStore.h"
#include "settings/SettingsDialog.h"
#include "sidebar/CollectionActions.h"
#include "sidebar/LibrarySidebar.h"
#include "welcome/DemoLibraryMaker.h"
#include "welcome/WelcomeDialog.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QInputDialog>
#include <QLineEdit>
#include <QLabel>
#include <QListView>
#include <QLocale>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QScrollArea>
#include <QSettings>
#include <QSplitter>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTimer>

namespace ripen::ui {

namespace {

constexpr const char* kSmartFiltersSetting = "sidebar/smartFilters";
constexpr int kLibraryReloadMs = 500;

QStringList localPaths(const QMimeData* mime) {
    QStringList paths;
    if (mime == nullptr || !mime->hasUrls()) {
        return paths;
    }
    for (const QUrl& url : mime->urls()) {
        if (url.isLocalFile()) {
            paths << url.toLocalFile();
        }
    }
    return paths;
}

// "Import Files… (Ctrl+I)": every action's tooltip names its shortcut.
void setToolTipWithShortcut(QAction* action) {
    QString text = action->text().remove(QLatin1Char('&'));
    if (!action->shortcut().isEmpty()) {
        text += QStringLiteral(" (%1)").arg(action->shortcut().toString(QKeySequence::NativeText));
    }
    action->setToolTip(text);
}

} // namespace

MainWindow::MainWindow(CoreBridge& bridge, QWidget* parent)
    : QMainWindow(parent), m_bridge(bridge), m_sidebar(new LibrarySidebar(this)),
      m_views(new QStackedWidget(this)), m_gallery(new GalleryView(bridge, this)),
      m_splitter(new QSplitter(Qt::Horizontal, this)), m_assetCount(new QLabel(this)),
      m_libraryPath(new QLabel(this)), m_importStatus(new ImportStatusWidget(bridge, this)) {
    setWindowTitle(tr("Ripen"));
    setObjectName(QStringLiteral("mainWindow"));
    setAcceptDrops(true);

    m_views->addWidget(m_gallery);
    m_splitter->setObjectName(QStringLiteral("mainSplitter"));
    m_splitter->addWidget(m_sidebar);
    m_splitter->addWidget(m_views);
    m_splitter->setStretchFactor(0, 0);
    m_splitter->setStretchFactor(1, 1);
    m_splitter->setChildrenCollapsible(false);
    m_splitter->setHandleWidth(1);
    m_sidebar->setMinimumWidth(20 * Theme::kGrid);
    m_splitter->setSizes({28 * Theme::kGrid, 130 * Theme::kGrid});
    setCentralWidget(m_splitter);

    m_libraryPath->setText(m_bridge.libraryRootText());
    m_libraryPath->setToolTip(tr("Library folder: %1").arg(m_bridge.libraryRootText()));
    m_libraryPath->setTextInteractionFlags(Qt::TextSelectableByMouse);
    dimLibraryPath();
    statusBar()->setSizeGripEnabled(false);
    statusBar()->addWidget(m_assetCount);
    statusBar()->addPermanentWidget(m_importStatus);
    statusBar()->addPermanentWidget(m_libraryPath);
    m_assetCount->setText(tr("Opening library…"));

    installCuration();
    createProductionDocks();
    // Inspector and Generate share the right side as tabs: stacked, their minimum heights
    // add up past a 800 px tall screen.
    tabifyDockWidget(m_inspectorDock, m_generationDock);
    m_inspectorDock->raise();
    // The right-hand panels run the full height; the queue sits under the grid only.
    setCorner(Qt::BottomRightCorner, Qt::RightDockWidgetArea);
    installCreditsView();
    installUpscaleReview();
    createMenus();
    createProductionMenu();
    installEditorViews();
    installSmartFilters();
    connectCreditsView();
    installRecipesView();
    installCollections();

    connect(m_sidebar, &LibrarySidebar::scopeChanged, m_gallery, &GalleryView::setScope);
    connect(m_gallery, &GalleryView::importRequested, this, &MainWindow::chooseFiles);
    connect(&m_bridge, &CoreBridge::libraryOpened, this, [this](const LibraryOverview& overview) {
        showOverview(overview);
        m_importFiles->setEnabled(true);
        m_importFolder->setEnabled(true);
        m_export->setEnabled(true);
        m_gallery->setLibraryReady(true);
    });
    connect(&m_bridge, &CoreBridge::libraryOpenFailed, this, [this](const ripen::Error&) {
        m_assetCount->setText(tr("The library could not be opened"));
    });
    connect(&m_bridge, &CoreBridge::overviewReady, this,
            [this](quint64, const LibraryOverview& overview) { showOverview(overview); });
    connect(&m_bridge, &CoreBridge::backupFailed, this, [this](const ripen::Error& error) {
        statusBar()->showMessage(
            tr("No catalog backup today: %1").arg(QString::fromStdString(error.message)));
    });
    // Results landing one after another reload the views at most every kLibraryReloadMs,
    // not once each: a reload re-lists the grid, and 500 of them would starve the GUI.
    m_libraryReload = new QTimer(this);
    m_libraryReload->setSingleShot(true);
    m_libraryReload->setInterval(kLibraryReloadMs);
    connect(&m_bridge, &CoreBridge::assetsAdded, this, [this] { ++m_pendingAdditions; });
    connect(&m_bridge, &CoreBridge::libraryChanged, this, [this] {
        ++m_pendingChanges;
        if (!m_libraryReload->isActive()) {
            m_libraryReload->start();
        }
    });
    connect(m_libraryReload, &QTimer::timeout, this, [this] {
        const bool onlyAdded = m_pendingAdditions >= m_pendingChanges;
        m_pendingChanges = 0;
        m_pendingAdditions = 0;
        m_bridge.loadOverview();
        if (onlyAdded) {
            m_gallery->showArrivals();
        } else {
            m_gallery->reload();
        }
        if (m_views->currentWidget() == m_creditsScroll) {
            m_credits->refresh();
        }
    });
}

void MainWindow::createMenus() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    m_importFiles = file->addAction(tr("&Import Files…"), this, &MainWindow::chooseFiles);
    m_importFiles->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_I));
    m_importFolder = file->addAction(tr("Import &Folder…"), this, &MainWindow::chooseFolder);
    m_importFolder->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_I));
    m_export = file->addAction(tr("&Export…"), this, &MainWindow::exportSelection);
    m_export->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E));
    m_export->setEnabled(false);
    addLibraryMenuEntries(*file);
    // Imports wait for the library: the reader lane opens it first.
    m_importFiles->setEnabled(false);
    m_importFolder->setEnabled(false);
    file->addSeparator();
    QAction* settings = file->addAction(tr("&Settings…"), this, &MainWindow::showSettings);
    settings->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Comma));
    settings->setMenuRole(QAction::PreferencesRole);
    setToolTipWithShortcut(settings);
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);
    quit->setMenuRole(QAction::QuitRole);

    QMenu* view = menuBar()->addMenu(tr("&View"));
    QAction* galleryView =
        view->addAction(tr("&Gallery"), this, [this] { m_views->setCurrentWidget(m_gallery); });
    galleryView->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_1));
    QAction* creditsView = view->addAction(tr("&Credits"), this, &MainWindow::showCredits);
    creditsView->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_5));
    setToolTipWithShortcut(galleryView);
    setToolTipWithShortcut(creditsView);
    view->addAction(m_upscaleReviewAction);
    view->addSeparator();
    auto* themes = new QActionGroup(this);
    m_systemTheme = view->addAction(tr("&System Theme"), this,
                                    [this] { setTheme(ThemeChoice::System); });
    m_systemTheme->setStatusTip(tr("Follow the desktop's dark or light style"));
    m_darkTheme =
        view->addAction(tr("&Dark Theme"), this, [this] { setTheme(ThemeChoice::Dark); });
    m_lightTheme =
        view->addAction(tr("&Light Theme"), this, [this] { setTheme(ThemeChoice::Light); });
    for (QAction* action : {m_systemTheme, m_darkTheme, m_lightTheme}) {
        action->setCheckable(true);
        themes->addAction(action);
    }
    const ThemeChoice choice = Theme::loadChoice();
    (choice == ThemeChoice::System  ? m_systemTheme
     : choice == ThemeChoice::Light ? m_lightTheme
                                    : m_darkTheme)
        ->setChecked(true);
    view->addSeparator();
    view->addAction(m_inspectorDock->toggleViewAction());
    view->addAction(m_generationDock->toggleViewAction());
    view->addAction(m_queueDock->toggleViewAction());
    createCurationMenu();

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    QAction* about = help->addAction(tr("&About Ripen"), this, &MainWindow::showAbout);
    about->setMenuRole(QAction::AboutRole);

    for (QAction* action :
         {m_importFiles, m_importFolder, m_export, quit, m_darkTheme, m_lightTheme, about}) {
        setToolTipWithShortcut(action);
    }
    file->setToolTipsVisible(true);
    view->setToolTipsVisible(true);
}

void MainWindow::restoreSettings() {
    m_persistent = true;
    const QSettings settings;
    if (const QByteArray geometry = settings.value("mainWindow/geometry").toByteArray();
        geometry.isEmpty() || !restoreGeometry(geometry)) {
        resize(160 * Theme::kGrid, 100 * Theme::kGrid);
    }
    restoreState(settings.value("mainWindow/state").toByteArray());
    m_splitter->restoreState(settings.value("mainWindow/splitter").toByteArray());
    std::vector<SmartFilter> filters;
    for (const QVariant& saved : settings.value(kSmartFiltersSetting).toList()) {
        filters.push_back(SmartFilter::fromVariant(saved.toMap()));
    }
    m_sidebar->setSavedFilters(std::move(filters));
}

void MainWindow::saveSettings() const {
    QSettings settings;
    settings.setValue("mainWindow/geometry", saveGeometry());
    settings.setValue("mainWindow/state", saveState());
    settings.setValue("mainWindow/splitter", m_splitter->saveState());
}

void MainWindow::importPaths(const QStringList& paths) {
    if (paths.isEmpty() || !m_bridge.isOpen()) {
        return;
    }
    m_bridge.importPaths(paths);
}

QString MainWindow::assetCountText() const {
    return m_assetCount->text();
}

bool MainWindow::isBusy() const {
    return m_bridge.isBusy() || m_gallery->isBusy() || m_curationViews->isBusy() ||
           m_collections->isBusy() || m_libraryReload->isActive();
}

void MainWindow::closeEvent(QCloseEvent* event) {
    if (m_persistent) {
        saveSettings();
    }
    QMainWindow::closeEvent(event);
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
    if (m_bridge.isOpen() && !localPaths(event->mimeData()).isEmpty()) {
        event->acceptProposedAction();
    }
}

void MainWindow::dragMoveEvent(QDragMoveEvent* event) {
    if (m_bridge.isOpen() && !localPaths(event->mimeData()).isEmpty()) {
        event->acceptProposedAction();
    }
}

void MainWindow::dropEvent(QDropEvent* event) {
    const QStringList paths = localPaths(event->mimeData());
    if (paths.isEmpty()) {
        return;
    }
    event->acceptProposedAction();
    importPaths(paths);
}

void MainWindow::showOverview(const LibraryOverview& overview) {
    m_sidebar->setOverview(overview);
    if (m_collections != nullptr) {
        m_collections->setCollections(overview.collections);
    }
    const qint64 count = overview.assetCount;
    m_assetCount->setText(count == 1
                              ? tr("1 asset in the library")
                              : tr("%1 assets in the library").arg(QLocale().toString(count)));
}

void MainWindow::chooseFiles() {
    const QString start = QStandardPaths::writableLocation(QStandardPaths::PicturesLocation);
    const QStringList files = QFileDialog::getOpenFileNames(
        this, tr("Import Files"), start,
        tr("Images and videos (*.png *.jpg *.jpeg *.webp *.tif *.tiff *.mp4 *.mov *.webm);;"
           "All files (*)"));
    importPaths(files);
}

void MainWindow::chooseFolder() {
    const QString start = QStandardPaths::writableLocation(QStandardPaths::PicturesLocation);
    const QString folder = QFileDialog::getExistingDirectory(this, tr("Import Folder"), start);
    if (!folder.isEmpty()) {
        importPaths({folder});
    }
}

void MainWindow::setTheme(ThemeChoice choice) {
    Theme::saveChoice(choice);
    Theme::apply(Theme::resolve(choice));
}

void MainWindow::dimLibraryPath() {
    QPalette dim = m_libraryPath->palette();
    dim.setColor(QPalette::WindowText,
                 Theme::palette(Theme::current()).color(QPalette::PlaceholderText));
    m_libraryPath->setPalette(dim);
}

void MainWindow::changeEvent(QEvent* event) {
    // The theme changed (from this window's menu, another window's, or the desktop's
    // dark-style switch): the one label with a palette of its own follows by hand.
    if (event->type() == QEvent::ApplicationPaletteChange) {
        dimLibraryPath();
    }
    QMainWindow::changeEvent(event);
}

// The production docks (generation panel on the right, queue at the bottom) and the
// status bar's job figures; gallery items can be dragged onto the panel as references.
void MainWindow::createProductionDocks() {
    JobLane& lane = m_bridge.jobs();
    m_generationPanel = new GenerationPanel(lane, this);
    m_queueView = new QueueView(lane, this);
    m_jobStatus = new JobStatusWidget(lane, this);
    m_generationDock = new QDockWidget(tr("Generate"), this);
    m_generationDock->setObjectName(QStringLiteral("generationDock"));
    // Scrollable, so the panel's full form never forces the window taller than the screen.
    auto* generationScroll = new QScrollArea(this);
    generationScroll->setWidget(m_generationPanel);
    generationScroll->setWidgetResizable(true);
    generationScroll->setFrameShape(QFrame::NoFrame);
    m_generationDock->setWidget(generationScroll);
    m_generationDock->toggleViewAction()->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_G));
    addDockWidget(Qt::RightDockWidgetArea, m_generationDock);
    m_queueDock = new QDockWidget(tr("Queue"), this);
    m_queueDock->setObjectName(QStringLiteral("queueDock"));
    m_queueDock->setWidget(m_queueView);
    m_queueDock->toggleViewAction()->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_J));
    addDockWidget(Qt::BottomDockWidgetArea, m_queueDock);
    resizeDocks({m_generationDock}, {40 * Theme::kGrid}, Qt::Horizontal);
    resizeDocks({m_queueDock}, {22 * Theme::kGrid}, Qt::Vertical);
    // Left of the import progress and the library path (index 1: after the asset count).
    statusBar()->insertPermanentWidget(1, m_jobStatus);

    m_gallery->grid().setDragEnabled(true);
    m_gallery->grid().setDragDropMode(QAbstractItemView::DragOnly);

    const auto showProjects = [this](const LibraryOverview& overview) {
        QStringList names;
        for (const auto& project : overview.projects) {
            names << QString::fromStdString(project.name);
        }
        m_generationPanel->setProjects(names);
    };
    connect(&m_bridge, &CoreBridge::libraryOpened, this, showProjects);
    connect(&m_bridge, &CoreBridge::overviewReady, this,
            [showProjects](quint64, const LibraryOverview& overview) { showProjects(overview); });
}

void MainWindow::createProductionMenu() {
    auto* jobs = new QMenu(tr("&Jobs"), this);
    // Before the Help menu, which createMenus() added last.
    menuBar()->insertMenu(menuBar()->actions().constLast(), jobs);
    QAction* promote =
        jobs->addAction(tr("&Promote Selected to Pro Model"), this, &MainWindow::promoteSelected);
    promote->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_M));
    jobs->addSeparator();
    jobs->addAction(m_queueView->pauseAction());
    for (QAction* action :
         {promote, m_generationDock->toggleViewAction(), m_queueDock->toggleViewAction()}) {
        setToolTipWithShortcut(action);
    }
    jobs->setToolTipsVisible(true);
    QMenu* help = menuBar()->actions().constLast()->menu();
    auto* welcome = new QAction(tr("&Welcome"), help);
    connect(welcome, &QAction::triggered, this, &MainWindow::showWelcome);
    auto* demo = new QAction(tr("Create &Demo Library"), help);
    demo->setToolTip(tr("Ripen draws a dozen landscapes and imports them"));
    connect(demo, &QAction::triggered, this, &MainWindow::createDemoLibrary);
    help->insertAction(help->actions().value(0), welcome);
    help->insertAction(help->actions().value(1), demo);
}

void MainWindow::setKeyStore(KeyStore* keys) {
    m_keyStore = keys;
    if (keys == nullptr) {
        return;
    }
    connect(keys, &KeyStore::keysChanged, this,
            [this, keys] { m_bridge.jobs().setKeys(keys->keys()); });
    connect(keys, &KeyStore::saved, this,
            [this](bool, const QString& message) { statusBar()->showMessage(message, 8000); });
}

void MainWindow::showSettings() {
    SettingsDialog dialog(m_bridge.jobs(), m_keyStore, this);
    dialog.exec();
}

void MainWindow::showWelcome() {
    auto* welcome = new WelcomeDialog(m_bridge.jobs().providers(), this);
    welcome->setAttribute(Qt::WA_DeleteOnClose);
    connect(welcome, &WelcomeDialog::settingsRequested, this, &MainWindow::showSettings,
            Qt::QueuedConnection);
    connect(welcome, &WelcomeDialog::demoRequested, this, &MainWindow::createDemoLibrary);
    welcome->open();
}

void MainWindow::createDemoLibrary() {
    if (m_demoMaker == nullptr) {
        m_demoMaker = new DemoLibraryMaker(this);
        connect(m_demoMaker, &DemoLibraryMaker::finished, this,
                [this](const QStringList& files, const QString& error) {
                    if (!error.isEmpty()) {
                        statusBar()->showMessage(error, 8000);
                        return;
                    }
                    importPaths(files);
                });
    }
    // The drawn files are a cache: the import copies them into the library's blobs.
    m_demoMaker->make(QStandardPaths::writableLocation(QStandardPaths::CacheLocation) +
                      QStringLiteral("/demo-library"));
    statusBar()->showMessage(tr("Drawing the demo library…"), 5000);
}

void MainWindow::promoteSelected() {
    const QModelIndexList selected = m_gallery->grid().selectionModel()->selectedIndexes();
    if (selected.isEmpty()) {
        statusBar()->showMessage(tr("Select a concept in the gallery to promote it"), 5000);
        return;
    }
    m_generationDock->show();
    m_generationDock->raise();
    m_generationPanel->promote(selected.front().data(GalleryModel::AssetIdRole).toLongLong());
}

void MainWindow::showAbout() {
    QMessageBox::about(
        this, tr("About Ripen"),
        tr("<h3>Ripen %1</h3>"
           "<p>A production workstation for AI-assisted image and video assets: concept, "
           "master, inpaint, upscale, review and animate, with costs in view.</p>"
           "<p>Library: %2</p>"
           "<p>Licensed under the GNU GPL, version 3 or later. Built with Qt, OpenCV, "
           "FFmpeg, libcurl, SQLite and nlohmann/json; see THIRD-PARTY-NOTICES.md "
           "(installed in /usr/share/doc/ripen).</p>")
            .arg(QApplication::applicationVersion().toHtmlEscaped(),
                 m_bridge.libraryRootText().toHtmlEscaped()));
}

// The curation side of the window: the loupe and compare views in the stack, the asset
// inspector dock following the gallery's current asset.
void MainWindow::installCuration() {
    m_curationViews = new CurationViews(*m_gallery, *m_views, this);
    m_inspector = new AssetInspector(m_bridge, this);
    m_inspectorDock = new QDockWidget(tr("Inspector"), this);
    m_inspectorDock->setObjectName(QStringLiteral("inspectorDock"));
    m_inspectorDock->setWidget(m_inspector);
    m_inspectorDock->setMinimumWidth(30 * Theme::kGrid);
    addDockWidget(Qt::RightDockWidgetArea, m_inspectorDock);
    connect(m_gallery, &GalleryView::currentAssetChanged, m_inspector, &AssetInspector::showAsset);
    connect(m_inspector, &AssetInspector::assetActivated, this, [this](qint64 id) {
        if (!m_gallery->selectAsset(id)) {
            statusBar()->showMessage(
                tr("Asset %1 is not in the gallery's current view; clear the search and "
                   "filters to find it.")
                    .arg(id),
                6000);
        }
    });
}

void MainWindow::createCurationMenu() {
    QMenu* photo = menuBar()->addMenu(tr("&Photo"));
    m_photoMenu = photo;
    photo->addAction(tr("Open in Loupe\tEnter"), m_curationViews, &CurationViews::openLoupe);
    photo->addAction(tr("Compare Selected\tC"), m_curationViews, &CurationViews::openCompare);
    photo->addAction(tr("Back to Grid\tEsc"), m_curationViews, &CurationViews::showGrid);
    photo->addSeparator();
    const QList<QAction*> commands = m_gallery->culling().actions();
    for (qsizetype i = 0; i < commands.size(); ++i) {
        photo->addAction(commands[i]);
        if (i == 2 || i == 8) { // after the flags, after the stars
            photo->addSeparator();
        }
    }
    photo->addSeparator();
    photo->addAction(m_gallery->culling().autoAdvanceAction());
    photo->setToolTipsVisible(true);
}

void MainWindow::exportSelection() {
    const std::vector<ripen::AssetId> ids = m_gallery->selectedAssetIds();
    if (ids.empty()) {
        QMessageBox::information(this, tr("Export"),
                                 tr("Select the assets to export in the gallery first."));
        return;
    }
    auto* dialog = new ExportDialog(m_bridge, ids, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
}

// Smart filters: the sidebar's entries set the gallery's filter bar; the bar's Save…
// names its filters and keeps them in the sidebar (and, for the user's window, settings).
void MainWindow::installSmartFilters() {
    FilterBar& filters = m_gallery->filterBar();
    connect(m_sidebar, &LibrarySidebar::smartFilterChosen, this,
            [this, &filters](const SmartFilter& filter) {
                filters.apply(filter);
                m_views->setCurrentWidget(m_gallery);
            });
    connect(&filters, &FilterBar::saveRequested, this, &MainWindow::saveSmartFilter);
    connect(m_sidebar, &LibrarySidebar::savedFiltersChanged, this, [this] {
        if (!m_persistent) {
            return;
        }
        QVariantList saved;
        for (const auto& filter : m_sidebar->savedFilters()) {
            saved << filter.toVariant();
        }
        QSettings().setValue(kSmartFiltersSetting, saved);
    });
}

void MainWindow::saveSmartFilter() {
    auto* ask = new QInputDialog(this);
    ask->setObjectName(QStringLiteral("smartFilterName"));
    ask->setAttribute(Qt::WA_DeleteOnClose);
    ask->setWindowTitle(tr("Save Smart Filter"));
    ask->setLabelText(tr("Name the filters; they appear under Smart Filters in the sidebar."));
    const SmartFilter filter = m_gallery->filterBar().current();
    connect(ask, &QInputDialog::textValueSelected, this, [this, filter](const QString& name) {
        SmartFilter named = filter;
        named.name = name.trimmed();
        m_sidebar->saveFilter(named);
    });
    ask->open();
}

// The credit dashboard loads on its own worker (its own library connection), so it is
// given the library only when first shown, once the bridge has opened (and created) it, and
// refreshed when shown and when jobs land while it is shown.
void MainWindow::installCreditsView() {
    m_credits = new CreditsDashboard(this);
    // A stack is as tall as its tallest page: scrolling keeps the charts from setting the
    // window's minimum height.
    m_creditsScroll = new QScrollArea(this);
    m_creditsScroll->setWidget(m_credits);
    m_creditsScroll->setWidgetResizable(true);
    m_creditsScroll->setFrameShape(QFrame::NoFrame);
    m_views->addWidget(m_creditsScroll);
}

// The dashboard's click-throughs open the gallery on the assets behind a figure, or the
// queue dock for the forecast; budgets it edits are written through the bridge.
void MainWindow::connectCreditsView() {
    connect(m_credits, &CreditsDashboard::assetsRequested, this, &MainWindow::showAssets);
    connect(m_credits, &CreditsDashboard::jobsRequested, this, [this] {
        m_queueDock->show();
        m_queueDock->raise();
        statusBar()->showMessage(tr("The forecast is what queued and running jobs hold"), 6000);
    });
    // A price edited on the dashboard is in the library: the queue reads its prices again,
    // so the next estimate and reservation use it.
    connect(m_credits, &CreditsDashboard::pricesChanged, this, [this] {
        if (m_bridge.jobs().isReady()) {
            m_bridge.jobs().reloadPrices();
        }
        statusBar()->showMessage(tr("Price saved; the next queued job is estimated with it"), 8000);
    });
    connect(m_credits, &CreditsDashboard::budgetChangeRequested, this,
            [this](const QString& scope, const QString& name, std::optional<ripen::Micros> limit) {
                m_budgetRequest = m_bridge.setBudget(scope, name, limit);
            });
    connect(&m_bridge, &CoreBridge::budgetSet, this,
            [this](quint64 request, const QString& scope, const QString& name) {
                if (request != m_budgetRequest) {
                    return;
                }
                statusBar()->showMessage(
                    tr("Budget of %1 %2 saved; the next queued job is checked against it")
                        .arg(scope, name),
                    8000);
                m_bridge.loadOverview(); // a new project or client shows in the sidebar
                m_credits->refresh();
            });
    connect(&m_bridge, &CoreBridge::requestFailed, this,
            [this](quint64 request, const ripen::Error& error) {
                if (request == m_budgetRequest) {
                    statusBar()->showMessage(tr("The budget was not saved: %1")
                                                 .arg(QString::fromStdString(error.message)),
                                             10000);
                }
            });
    const auto offerTargets = [this](const LibraryOverview& overview) {
        QStringList projects;
        QStringList clients;
        for (const auto& project : overview.projects) {
            projects << QString::fromStdString(project.name);
        }
        for (const auto& client : overview.clients) {
            clients << QString::fromStdString(client.name);
        }
        m_credits->setBudgetTargets(projects, clients);
    };
    connect(&m_bridge, &CoreBridge::libraryOpened, this, offerTargets);
    connect(&m_bridge, &CoreBridge::overviewReady, this,
            [offerTargets](quint64, const LibraryOverview& overview) { offerTargets(overview); });
}

void MainWindow::showAssets(const AssetsBehind& assets) {
    m_views->setCurrentWidget(m_gallery);
    m_gallery->searchField().clear();
    m_sidebar->selectScope(assets.scope);
    m_gallery->filterBar().apply(assets.filter);
    statusBar()->showMessage(assets.description, 10000);
}

void MainWindow::showCredits() {
    if (!m_bridge.isOpen()) {
        return;
    }
    m_views->setCurrentWidget(m_creditsScroll);
    m_credits->setLibraryRoot(m_bridge.libraryRoot()); // loads the figures
}

// The upscale review opens on the gallery's current asset (an upscale; its parent is the
// original): from View > Upscale Review (Ctrl+3) or the gallery's context menu.
void MainWindow::installUpscaleReview() {
    m_upscaleReview = new UpscaleReviewView(m_bridge, this);
    m_views->addWidget(m_upscaleReview);
    m_upscaleReviewAction = new QAction(tr("&Upscale Review"), this);
    m_upscaleReviewAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_3));
    setToolTipWithShortcut(m_upscaleReviewAction);
    connect(m_upscaleReviewAction, &QAction::triggered, this, &MainWindow::showUpscaleReview);
    // The grid's right-click menu lists its actions (the editors add theirs too).
    m_gallery->grid().addAction(m_upscaleReviewAction);
    m_gallery->grid().setContextMenuPolicy(Qt::ActionsContextMenu);
}

void MainWindow::showUpscaleReview() {
    const ripen::AssetId id = m_gallery->currentAssetId();
    if (!m_bridge.isOpen() || id == 0) {
        statusBar()->showMessage(tr("Select an upscaled image in the gallery first."), 6000);
        return;
    }
    m_views->setCurrentWidget(m_upscaleReview);
    m_upscaleReview->showAsset(id);
}

// The editors in the stack (inpaint, motion): each opened on the gallery's current asset
// from the View menu, the grid's context menu or a key in the grid; Escape goes back.
void MainWindow::installEditorViews() {
    m_inpaint = new InpaintView(m_bridge, this);
    m_motion = new MotionView(m_bridge, this);
    m_views->addWidget(m_inpaint);
    m_views->addWidget(m_motion);
    const auto backToGrid = [this] {
        m_views->setCurrentWidget(m_gallery);
    };
    connect(m_inpaint, &InpaintView::closeRequested, this, backToGrid);
    connect(m_motion, &MotionView::closeRequested, this, backToGrid);
    QMenu* view = nullptr;
    for (QAction* menu : menuBar()->actions()) {
        if (menu->menu() != nullptr && menu->text() == tr("&View")) {
            view = menu->menu();
        }
    }
    const auto addEditor = [&](const QString& menuText, const QString& gridText,
                               const QKeySequence& shortcut, Qt::Key gridKey,
                               void (MainWindow::*open)()) {
        auto* action = new QAction(menuText, this);
        action->setShortcut(shortcut);
        setToolTipWithShortcut(action);
        connect(action, &QAction::triggered, this, open);
        if (view != nullptr) {
            // With the other views: before the first separator (the themes come after it).
            const QList<QAction*> entries = view->actions();
            const auto separator = std::ranges::find_if(
                entries, [](const QAction* entry) { return entry->isSeparator(); });
            view->insertAction(separator == entries.end() ? nullptr : *separator, action);
        }
        // In the grid: its context menu, and a plain key while it has the focus.
        auto* inGrid = new QAction(gridText, this);
        inGrid->setShortcut(QKeySequence(gridKey));
        inGrid->setShortcutContext(Qt::WidgetShortcut);
        connect(inGrid, &QAction::triggered, this, open);
        m_gallery->grid().addAction(inGrid);
    };
    addEditor(tr("&Inpaint Selected…"), tr("Inpaint…"), QKeySequence(Qt::CTRL | Qt::Key_2),
              Qt::Key_I, &MainWindow::inpaintSelected);
    addEditor(tr("&Motion from Selected…"), tr("Animate…"), QKeySequence(Qt::CTRL | Qt::Key_4),
              Qt::Key_M, &MainWindow::animateSelected);
    m_gallery->grid().setContextMenuPolicy(Qt::ActionsContextMenu);
}

void MainWindow::inpaintSelected() {
    const ripen::AssetId id = m_gallery->currentAssetId();
    if (id == 0 || !m_bridge.isOpen()) {
        statusBar()->showMessage(tr("Select an image in the gallery to inpaint it"), 5000);
        return;
    }
    m_inpaint->openAsset(id);
    m_views->setCurrentWidget(m_inpaint);
    m_inpaint->canvas().setFocus();
}

void MainWindow::animateSelected() {
    const ripen::AssetId id = m_gallery->currentAssetId();
    if (id == 0 || !m_bridge.isOpen()) {
        statusBar()->showMessage(tr("Select an image in the gallery as the keyframe"), 5000);
        return;
    }
    m_motion->openAsset(id);
    m_views->setCurrentWidget(m_motion);
    m_motion->setFocus();
}

// The Recipes view sits in the stack with the others, from View > Recipes (Ctrl+6).
void MainWindow::installRecipesView() {
    m_recipes = new RecipesView(m_bridge, this);
    m_views->addWidget(m_recipes);
    auto* action = new QAction(tr("&Recipes"), this);
    action->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_6));
    setToolTipWithShortcut(action);
    connect(action, &QAction::triggered, this, &MainWindow::showRecipes);
    for (QAction* menu : menuBar()->actions()) {
        if (menu->menu() != nullptr && menu->text() == tr("&View")) {
            const QList<QAction*> entries = menu->menu()->actions();
            const auto separator = std::ranges::find_if(
                entries, [](const QAction* entry) { return entry->isSeparator(); });
            menu->menu()->insertAction(separator == entries.end() ? nullptr : *separator, action);
        }
    }
}

void MainWindow::showRecipes() {
    m_views->setCurrentWidget(m_recipes);
    m_recipes->setFocus();
}

// Collections: New / Rename / Delete in the sidebar, drops on its entries, and the
// grid's "Add to Collection" / "Remove from Collection"; what happened shows in the status
// bar.
void MainWindow::installCollections() {
    m_collections = new CollectionActions(m_bridge, *m_sidebar, *m_gallery, this);
    m_gallery->grid().addAction(&m_collections->addToCollectionAction());
    m_gallery->grid().addAction(&m_collections->removeFromCollectionAction());
    m_photoMenu->addSeparator();
    m_photoMenu->addAction(&m_collections->addToCollectionAction());
    m_photoMenu->addAction(&m_collections->removeFromCollectionAction());
    connect(m_collections, &CollectionActions::message, this,
            [this](const QString& text, bool failed) {
                statusBar()->showMessage(text, failed ? 10000 : 6000);
            });
}

// File > Open Library… / New Library…, after the import and export entries.
void MainWindow::addLibraryMenuEntries(QMenu& file) {
    file.addSeparator();
    QAction* openLibrary =
        file.addAction(tr("&Open Library…"), this, [this] { chooseLibrary(true); });
    openLibrary->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
    QAction* newLibrary =
        file.addAction(tr("&New Library…"), this, [this] { chooseLibrary(false); });
    setToolTipWithShortcut(openLibrary);
    setToolTipWithShortcut(newLibrary);
}

void MainWindow::chooseLibrary(bool existing) {
    const QString here = m_bridge.libraryRootText();
    const QString folder =
        existing ? QFileDialog::getExistingDirectory(this, tr("Open Library"), here)
                 : QFileDialog::getSaveFileName(this, tr("New Library"),
                                                here + QStringLiteral("-new"), QString(), nullptr,
                                                QFileDialog::ShowDirsOnly);
    requestLibrary(folder, existing);
}

void MainWindow::requestLibrary(const QString& folder, bool mustExist) {
    if (folder.isEmpty()) {
        return;
    }
    statusBar()->showMessage(tr("Opening the library in %1…").arg(folder));
    emit libraryRequested(folder, mustExist);
}

} // namespace ripen::ui
