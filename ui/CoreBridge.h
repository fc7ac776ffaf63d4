#pragma once
#include <QObject>
class CoreBridge : public QObject { Q_OBJECT };
