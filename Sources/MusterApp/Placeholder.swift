import Yams
import ServiceLifecycle
